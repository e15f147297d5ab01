// Runs expirePoints once in its own process and reports wall time and peak RSS (see expiry.ts).
import { expirePoints } from '../src/app/expirePoints.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { createDb } from '../src/store/database.js';

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
/** Resolves once the message is handed to the IPC channel, so disconnecting after it cannot lose it. */
const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));

process.once('message', (m: { url: string; now: string }) => {
  const rssBeforeMB = mb(process.resourceUsage().maxRSS);
  const db = createDb(m.url, { max: 2 });
  const t0 = performance.now();
  expirePoints(makeDeps(db), { now: new Date(m.now) })
    .then(
      (run) => {
        const seconds = Math.round((performance.now() - t0) / 10) / 100;
        return send({ type: 'done', result: { seconds, peakRssMB: mb(process.resourceUsage().maxRSS), rssBeforeMB, run } });
      },
      (e: Error) => send({ type: 'error', error: e.stack ?? e.message }),
    )
    .finally(() => db.destroy().finally(() => process.disconnect()));
});
