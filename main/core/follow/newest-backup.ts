/**
 * Which file in a followed folder is the newest backup, by the phone apps' own naming:
 *
 * - Aegis: `aegis-backup-YYYYMMDD-HHMMSS.json` (automatic), `aegis-export-YYYYMMDD-HHMMSS.json`
 *   and `aegis-export-plain-…` (manual), or one fixed file the person chose;
 * - 2FAS: `2fas-backup-YYYYMMDDHHMMSS.2fas`;
 * - Ente Auth: `ente-auth-codes-YYYY-MM-DD.txt`, `ente-auth-auto-backup-…`;
 * - Stratum / Authenticator Pro: `stratum-backup-YYYY-MM-DD_HH-MM-SS.stratum` / `.authpro`;
 * - andOTP: `otp_accounts_YYYY-MM-DD_HH-MM-SS.json(.aes)`.
 *
 * A time written in the name wins (a sync engine may give every copy the same file time); the
 * file time decides otherwise and between equal names. Temp files (dot files, `~`, `.tmp`,
 * `.part`, Syncthing's and Nextcloud's partial files) are never candidates.
 */

export interface FolderFile {
  name: string;
  mtimeMs: number;
  size: number;
}

const BACKUP_EXTENSIONS = /\.(json|2fas|txt|aes|authpro|stratum|bak)$/i;
const TEMP = /^[.~]|~$|\.(tmp|part|partial|crdownload|download)$|\.syncthing\.|\.~/i;

/** The time a backup's name gives (local time, as the phone wrote it), or null. */
export function timeInName(name: string): number | null {
  const match =
    /(20\d{2})[-_]?(\d{2})[-_]?(\d{2})(?:[-_T ]?(\d{2})[-_:]?(\d{2})(?:[-_:]?(\d{2}))?)?/.exec(
      name,
    );
  if (match === null) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  const date = new Date(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  if (Number.isNaN(date.getTime()) || date.getMonth() !== Number(month) - 1) return null;
  return date.getTime();
}

export function isBackupCandidate(file: FolderFile): boolean {
  return file.size > 0 && BACKUP_EXTENSIONS.test(file.name) && !TEMP.test(file.name);
}

/** The newest backup among the folder's files, with the time it was made; null when none. */
export function newestBackup(files: readonly FolderFile[]): (FolderFile & { at: number }) | null {
  let best: (FolderFile & { at: number }) | null = null;
  for (const file of files) {
    if (!isBackupCandidate(file)) continue;
    const at = timeInName(file.name) ?? file.mtimeMs;
    if (
      best === null ||
      at > best.at ||
      (at === best.at &&
        (file.mtimeMs > best.mtimeMs || (file.mtimeMs === best.mtimeMs && file.name > best.name)))
    ) {
      best = { ...file, at: Math.floor(at) };
    }
  }
  return best;
}
