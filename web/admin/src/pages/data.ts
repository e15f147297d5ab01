// Data: exports as download links (the session cookie goes with them), an import of customers checked first (a dry
// run listing every bad row), and backups (./backups.ts).
import { h, replace } from '../../../shared/dom.js';
import type { Ctx } from '../context.js';
import { t } from '../i18n.js';
import { backupsSection } from './backups.js';
import { exportsSection, importSection } from './dataExchange.js';

export function dataPage(main: HTMLElement, ctx: Ctx): void {
  const exports = exportsSection(ctx);
  replace(main, h('h1', null, t('navData')), exports, ctx.can('points.bulk') ? importSection(ctx) : null, backupsSection(ctx));
}
