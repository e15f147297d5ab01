// Entry point of the cashier screen (web/cashier/index.html).
import './styles.css';
import { mountApp } from '../../shared/mount.js';
import { boot } from './app.js';

mountApp(boot);
