// Staff: the Integration API has no staff routes yet (GET /staff, invitations, roles, limits); until it does, this
// page says where staff are managed today.
import { h, replace } from '../../../shared/dom.js';
import type { Ctx } from '../context.js';
import { t } from '../i18n.js';
import { placeholder } from '../ui.js';

export function staffPage(main: HTMLElement, ctx: Ctx): void {
  void ctx;
  replace(main, h('h1', null, t('staffTitle')), placeholder(t('staffNone')));
}
