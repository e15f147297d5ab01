// With --test-clock, the card lives in its business's time like the API: a QR shown after moving the clock a day
// ahead pays at the till, and the history is dated in that time.
import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../src/app/cardSessions.js';
import { createCardClient } from '../src/client/card.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';

const h = useApi({ testClock: true });

describe('the card app under a test clock', () => {
  it('issues QR tokens in the business\'s moved time', async () => {
    const shop = await h.business({ welcomeBonus: 100 });
    const phone = nextPhone();
    const m = await shop.api.members.create({ phone });
    const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone });
    const card = createCardClient({ baseUrl: h.url });
    await card.signIn({ signInToken: token });
    const moved = await shop.api.testClock.advance('P1D');
    const qr = await card.qr();
    expect(new Date(qr.expiresAt).getTime() - new Date(moved.now).getTime()).toBe(180_000);
    const paid = await shop.api.purchases.create({ member: { qrToken: qr.token }, amount: 500_00, redeemPoints: 'max' });
    expect(paid).toMatchObject({ memberId: m.id, redeemedPoints: 100 });
    const history = await card.transactions();
    expect(history.items[0]?.when).toBe(moved.now);
  });
});
