// Starts an app in its #app element; if starting throws, the page says so in both languages with a retry button
// instead of staying blank.
export function mountApp(boot: (root: HTMLElement) => void): void {
  const root = document.getElementById('app');
  if (!root) return;
  try {
    boot(root);
  } catch (e) {
    console.error(e);
    root.textContent = '';
    const p = document.createElement('p');
    p.className = 'status';
    p.textContent = 'Ошибка / Error';
    const b = document.createElement('button');
    b.className = 'btn';
    b.textContent = '↻';
    b.setAttribute('aria-label', 'Retry');
    b.onclick = () => location.reload();
    root.append(p, b);
  }
}
