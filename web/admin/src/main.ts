// Entry point of the admin panel (web/admin/index.html).
import './styles.css';
import { boot } from './app.js';

const root = document.getElementById('app');
if (root) boot(root);
