// Entry point of the cashier screen (web/cashier/index.html).
import './styles.css';
import { boot } from './app.js';

const root = document.getElementById('app');
if (root) {
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
