// A forked accrual client process (see driveInProcesses): connects, says ready, runs on "go", reports, exits.
import { createDb } from '../src/store/database.js';
import { drive, type DriveOptions } from './accrual.js';

let options: DriveOptions | undefined;
/** Resolves once the message is handed to the IPC channel, so disconnecting after it cannot lose it. */
const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));

process.on('message', (m: { type: string; options?: DriveOptions }) => {
  if (m.type === 'init') {
    options = m.options!;
    void send({ type: 'ready' });
  } else if (m.type === 'go' && options) {
    const db = createDb(options.url, { max: options.clients });
    drive(options, db)
      .then((result) => send({ type: 'done', result }), (e: Error) => send({ type: 'error', error: e.message }))
      .finally(() => db.destroy().finally(() => process.disconnect()));
  }
});
