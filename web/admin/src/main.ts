// Entry point of the admin panel (web/admin/index.html); /admin/setup is the first-run wizard, shown signed out.
import './styles.css';
import { boot } from './app.js';

const root = document.getElementById('app');
if (root) {
  // The wizard is its own chunk: the panel's bundle does not carry it.
  if (/^\/admin\/setup\/?$/.test(location.pathname)) void import('./pages/setup.js').then((m) => m.setupPage(root));
  else boot(root);
}
