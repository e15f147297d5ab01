// The backups section's texts in the panel's current language, and file sizes in words.
import './backups.css';
import { fill, formatNumber } from '../../shared/format.js';
import { language } from './i18n.js';
import { backupsEn, backupsRu, type BackupsMessages } from './locales/backups.js';

export const bt = (key: keyof BackupsMessages, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? backupsEn : backupsRu)[key], vars);

/** 1 536 000 → "1,5 MB" (binary units, one decimal from KB up). */
export function fileSize(bytes: number): string {
  const units = ['kb', 'mb', 'gb'] as const;
  if (bytes < 1024) return bt('bytes', { n: formatNumber(bytes, language()) });
  let n = bytes / 1024;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return bt(units[i]!, { n: formatNumber(n, language(), 1) });
}
