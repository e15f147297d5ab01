// The typed client's backups (POST/GET /backups…): start one, follow its progress, and the file's address for a
// download link (the panel's session cookie goes with it). Restoring is the CLI's alone (`kopilka restore FILE`).
import type { z } from 'zod';
import type * as K from '../http/api/backups.js';

export type Backup = z.output<typeof K.BackupView>;

type Call = <R>(method: 'GET' | 'POST', path: string) => Promise<R>;
const enc = encodeURIComponent;

export function backupMethods(call: Call, base: string) {
  return {
    /** Answers at once (status 'running'); follow it with get(id). The owner only, on a server with one business. */
    start: () => call<Backup>('POST', '/backups'),
    /** Newest first: daily ones (kind 'daily') and those asked for (kind 'manual'). */
    list: async () => (await call<{ items: Backup[] }>('GET', '/backups')).items,
    get: (backupId: string) => call<Backup>('GET', `/backups/${enc(backupId)}`),
    /** The finished backup's file (gzip), for a download link. */
    downloadUrl: (backupId: string) => `${base}/api/v1/backups/${enc(backupId)}/download`,
  };
}
