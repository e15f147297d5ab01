// Entry point of the card app (web/card/index.html).
import './styles.css';
import { mountApp } from '../../shared/mount.js';
import { boot } from './app.js';

mountApp(boot);
