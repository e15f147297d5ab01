// One export in a process of its own started with a small V8 heap (see data.ts): if the export kept its rows in
// memory it would die of "heap out of memory"; it reports the peak heap used and the process's peak RSS.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { exportMembers, exportTransactions, type ExportFormat } from '../src/app/exports.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { createDb } from '../src/store/database.js';

const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));

process.once('message', (m: { url: string; businessId: string; what: 'members' | 'transactions'; format: ExportFormat; file: string }) => {
  const db = createDb(m.url, { max: 2 });
  const out = createWriteStream(m.file);
  let peakHeap = 0;
  const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 10);
  const t0 = performance.now();
  const run = m.what === 'members' ? exportMembers : exportTransactions;
  run(makeDeps(db), { businessId: m.businessId, format: m.format }, { write: async (c) => void (out.write(c) || (await once(out, 'drain'))) })
    .then(async (r) => {
      out.end();
      await once(out, 'finish');
      clearInterval(sample);
      const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
      return send({ type: 'done', rows: r.rows, seconds: Math.round((performance.now() - t0) / 10) / 100, peakHeapMB: mb(peakHeap), peakRssMB: mb(process.resourceUsage().maxRSS * 1024) });
    }, (e: Error) => send({ type: 'error', error: e.stack ?? e.message }))
    .finally(() => db.destroy().finally(() => process.disconnect()));
});
