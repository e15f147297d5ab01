// GET/PATCH /api/v1/business (issue 7, R32): the business profile and the Info page as sanitised rich text — for API
// keys and the panel's signed-in owner/admin; managers and cashiers may not change it; every problem of a bad change
// at once (422), nothing changed; the same change twice audited once; each business sees only its own.
import { describe, expect, it } from 'vitest';
import { failure, useApi } from './support/apiServer.js';
import { panelCall, panelSession, type Json, type PanelSession } from './support/panel.js';
import { aStaff } from './support/staff.js';

const h = useApi();

type Session = PanelSession;
const session = (businessId: string, email: string) => panelSession(h, businessId, email);
const call = (who: Session, method: string, path: string, body?: unknown) => panelCall(h, who, method, path, body);

const signedIn = async (businessId: string, role: 'owner' | 'admin' | 'manager' | 'cashier') => {
  const st = await aStaff(h, businessId, role);
  return { id: st.id, s: await session(businessId, st.email) };
};

const HOURS = {
  days: { mon: { open: '08:00', close: '22:00' }, tue: { open: '08:00', close: '22:00' }, wed: { open: '08:00', close: '22:00' }, thu: { open: '08:00', close: '22:00' }, fri: { open: '18:00', close: '02:00', overnight: true }, sat: { open: '10:00', close: '24:00' }, sun: null },
  note: 'Санитарный день — последний четверг месяца',
};

describe('GET/PATCH /business', () => {
  it('starts empty, changes field by field, cleans the Info page and keeps infoText as its plain form', async () => {
    const { id, api } = await h.business();
    expect(await api.business.get()).toEqual({ id, name: 'API test shop', address: '', mapUrl: null, phone: null, socialLinks: [], hours: null, infoHtml: '', infoText: '' });

    const changed = await api.business.update({
      name: '  Кофейня «Зерно» ',
      address: 'ул. Ленина, 1',
      mapUrl: 'https://yandex.ru/maps/-/CDaBcD',
      phone: '8 (495) 123-45-67',
      socialLinks: [{ kind: 'vk', url: 'https://vk.com/zerno' }, { kind: 'telegram', url: 't.me/zerno_coffee' }],
      hours: HOURS,
      infoHtml: '<h1>О нас</h1><p>Кофе <b>на вынос</b> и <i>десерты</i><script>alert(1)</script></p><ul><li>Латте</li><li>Раф</li></ul><p><a href="https://zerno.ru" onclick="steal()">Сайт</a> <a href="javascript:alert(1)">клик</a><img src=x onerror="alert(1)"></p>',
    });
    expect(changed).toMatchObject({
      id,
      name: 'Кофейня «Зерно»',
      address: 'ул. Ленина, 1',
      mapUrl: 'https://yandex.ru/maps/-/CDaBcD',
      phone: '+74951234567',
      socialLinks: [{ kind: 'vk', url: 'https://vk.com/zerno' }, { kind: 'telegram', url: 'https://t.me/zerno_coffee' }],
      hours: { days: { mon: { open: '08:00', close: '22:00', overnight: false }, fri: { open: '18:00', close: '02:00', overnight: true }, sat: { open: '10:00', close: '24:00', overnight: false }, sun: null }, note: HOURS.note },
    });
    expect(changed.infoHtml).toBe('<h2>О нас</h2><p>Кофе <b>на вынос</b> и <i>десерты</i></p><ul><li>Латте</li><li>Раф</li></ul><p><a href="https://zerno.ru" target="_blank" rel="noopener noreferrer nofollow">Сайт</a> клик</p>');
    expect(changed.infoHtml).not.toMatch(/script|onerror|onclick|javascript|<img/i);
    expect(changed.infoText).toBe('О нас\n\nКофе на вынос и десерты\n\n• Латте\n• Раф\n\nСайт (https://zerno.ru) клик');
    // The older plain-text API sees the same text; the name is the business's everywhere.
    expect((await api.program.get()).infoText).toBe(changed.infoText);
    expect(await api.business.get()).toEqual(changed);

    // Only what is given changes.
    const again = await api.business.update({ address: 'ул. Ленина, 3' });
    expect(again).toEqual({ ...changed, address: 'ул. Ленина, 3' });
    // Removing: null map link and phone, no hours.
    expect(await api.business.update({ mapUrl: null, phone: '', hours: null })).toMatchObject({ mapUrl: null, phone: null, hours: null, address: 'ул. Ленина, 3' });

    // PATCH /program {infoText} (the plain-text way) replaces the page with that text, escaped.
    await api.program.update({ infoText: 'Новый текст <b>без</b> разметки\nвторая строка' });
    expect((await api.business.get()).infoHtml).toBe('<p>Новый текст &lt;b&gt;без&lt;/b&gt; разметки<br />вторая строка</p>');
  });

  it('a bad change: 422 with every problem listed, nothing changed', async () => {
    const { api } = await h.business();
    const good = await api.business.update({ address: 'ул. Мира, 5', mapUrl: 'https://2gis.ru/x', hours: HOURS, infoHtml: '<p>ok</p>' });
    const bad = await failure(api.business.update({
      name: '   ',
      address: 'x'.repeat(301),
      mapUrl: 'http://maps.example.com/a',
      phone: 'not a phone',
      socialLinks: [{ kind: 'instagram', url: 'javascript:alert(1)' }, { kind: 'website', url: 'http://plain.example' }, { kind: 'telegram', url: 'tg://resolve?domain=zerno' }],
      hours: {
        days: { mon: { open: '25:00', close: '22:00' }, tue: { open: '10:00', close: '09:00' }, wed: { open: '08:00', close: '8pm' }, thu: { open: '20:00', close: '23:00', overnight: true } },
        note: 'x'.repeat(201),
      },
      infoHtml: '<p>new</p>',
    }));
    expect(bad).toMatchObject({ status: 422, code: 'invalid_business_profile' });
    const errors = bad.problem.errors as { path: string; message: string }[];
    const messages = errors.map((e) => e.message).join(' | ');
    for (const m of ['name must be', 'address must be at most 300', 'mapUrl must be an https://', 'phone "not a phone"', 'socialLinks[0].url', 'socialLinks[1].url', 'hours.mon.open', 'hours.tue.close must be after open', 'hours.wed.close must be a time', 'hours.thu.close must be before open when overnight', 'hours.note']) {
      expect(messages).toContain(m);
    }
    expect(messages).not.toContain('socialLinks[2]'); // tg:// is fine for telegram
    expect(errors.length).toBe(11);
    expect(await api.business.get()).toEqual(good);

    // Too many links: 422 too; the schema's own checks (an unknown kind, an unknown field): 400. Nothing changed.
    const many = await failure(api.business.update({ socialLinks: Array.from({ length: 11 }, (_, i) => ({ kind: 'other' as const, url: `https://x${i}.example` })) }));
    expect(many).toMatchObject({ status: 422, code: 'invalid_business_profile' });
    const shape = await failure(api.business.update({ socialLinks: [{ kind: 'myspace' as never, url: 'https://x' }], color: 'red' } as never));
    expect(shape).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await api.business.get()).toEqual(good);
  });

  it('the Info page: nasty input is cleaned, an empty page is empty, and a huge one is refused', async () => {
    const { api } = await h.business();
    const r = await api.business.update({ infoHtml: '<p style="color:red" class="x" onmouseover="x()">Hi<svg onload="alert(1)"><script>alert(2)</script></svg> <a href="data:text/html,<script>alert(3)</script>">d</a> <a href="  JAVASCRIPT:alert(4)">j</a> <iframe src="https://evil.example"></iframe><u>u</u><s>s</s></p>' });
    expect(r.infoHtml).toBe('<p>Hi d j <u>u</u><s>s</s></p>');
    expect((await api.business.update({ infoHtml: '<p> </p><script>x</script><br>' })).infoHtml).toBe('');
    const huge = await failure(api.business.update({ infoHtml: `<p>${'<b>a</b>'.repeat(3000)}</p>` }));
    expect(huge).toMatchObject({ status: 422, code: 'invalid_business_profile' });
    expect((huge.problem.errors as { message: string }[])[0]?.message).toContain('infoHtml must be at most 20000');
  });

  it('owner and admin change it (audited once for the same change twice); a manager and a cashier may not; each business sees its own', async () => {
    const shop = await h.business();
    const owner = await signedIn(shop.id, 'owner');
    const admin = await signedIn(shop.id, 'admin');
    const manager = await signedIn(shop.id, 'manager');
    const cashier = await signedIn(shop.id, 'cashier');

    const change = { address: 'пр. Мира, 10', socialLinks: [{ kind: 'instagram', url: 'https://instagram.com/zerno' }] };
    const first = await call(owner.s, 'PATCH', '/business', change);
    expect(first.status).toBe(200);
    expect((await call(owner.s, 'PATCH', '/business', change)).status).toBe(200);
    expect((await call(admin.s, 'PATCH', '/business', { hours: HOURS })).status).toBe(200);

    for (const who of [manager, cashier]) {
      const res = await call(who.s, 'PATCH', '/business', { address: 'взлом' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    // A manager reads it (like the program); the address is the owner's.
    const read = await call(manager.s, 'GET', '/business');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ address: 'пр. Мира, 10', hours: { note: HOURS.note } });

    const audit = ((await call(owner.s, 'GET', '/audit?limit=100')).body.items as Json[]).filter((e) => e.action === 'business.profile_changed');
    expect(audit.map((e) => [e.staffId, e.details.fields])).toEqual([
      [admin.id, ['hours']],
      [owner.id, ['address', 'socialLinks']],
    ]);

    // Another business's key sees only its own profile and cannot touch this one.
    const other = await h.business();
    expect((await other.api.business.get()).address).toBe('');
    await other.api.business.update({ address: 'чужой адрес' });
    expect((await call(owner.s, 'GET', '/business')).body.address).toBe('пр. Мира, 10');
    expect(h.checked.failures).toEqual([]);
  });
});
