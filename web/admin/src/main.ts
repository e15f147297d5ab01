// Entry point of the admin panel (web/admin/index.html); /admin/setup is the first-run wizard, shown signed out;
// /admin/operator the platform operator's page.
import './styles.css';
import { boot } from './app.js';

const root = document.getElementById('app');
if (root) {
  // The wizard is its own chunk: the panel's bundle does not carry it.
  if (/^\/admin\/setup\/?$/.test(location.pathname)) void import('./pages/setup.js').then((m) => m.setupPage(root));
  // So is the platform operator's page (its own session, not a business's).
  else if (/^\/admin\/operator\/?$/.test(location.pathname)) void import('./pages/operator.js').then((m) => m.operatorPage(root));
  else boot(root);
}
