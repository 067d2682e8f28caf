import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
import type { Account } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { writeAndSync } from '../vault/atomic-write';
import type { RandomBytes } from '../vault/key-slots';
import type { VaultFs } from '../vault/vault-fs';
import { errnoCode } from '../vault/vault-errors';
import {
  accountsHash,
  decryptBackup,
  decryptBackupWithKey,
  deriveBackupKey,
  encodeBackup,
  type BackupKey,
} from './backup-format';
import {
  aegisEntries,
  aegisEntriesHash,
  decryptAegisVault,
  encryptAegisVault,
} from './aegis-export';
import { sweepStaleTempFiles, tempPathFor, trackTemp, untrackTemp } from './export-files';
import {
  encryptKeePassDatabase,
  keePassEntries,
  keePassEntriesHash,
  readKeePassDatabase,
} from './keepass-export';
import { otpauthList } from './otpauth-export';

export type ExportFormat = 'chronokey' | 'aegis' | 'otpauth' | 'kdbx';

export interface ExportResult {
  path: string;
  /** True only after the file on disk was read back, decrypted and matched the vault. */
  verified: boolean;
  accounts: number;
}

export interface ExportDeps {
  fs: VaultFs;
  now: () => number;
  random?: RandomBytes;
}

/**
 * Writes `bytes` to `path` so that no half-written file is ever left: a temp file in the same
 * folder is written and fsynced, read back and checked, renamed over `path`, and the final file
 * is read back and checked again. When a check fails the file is removed and false returned;
 * an existing file at `path` is only replaced by a file that passed the first check. The temp
 * file never outlives the export (export-files.ts): removed on failure, on a signal, and swept
 * by the next export into the folder if the process was killed.
 */
export async function writeVerified(
  fs: VaultFs,
  path: string,
  bytes: Uint8Array,
  checks: {
    beforeRename: (read: Buffer) => Promise<boolean>;
    afterRename: (read: Buffer) => Promise<boolean>;
  },
  random: RandomBytes = randomBytes,
): Promise<boolean> {
  await sweepStaleTempFiles(fs, dirname(path), Date.now());
  const temp = tempPathFor(path, random(6).toString('hex'));
  trackTemp(temp);
  try {
    await writeAndSync(fs, temp, bytes);
    const passed = await checks.beforeRename(await fs.readFile(temp)).catch(() => false);
    if (!passed) {
      await removeQuietly(fs, temp);
      return false;
    }
    await fs.rename(temp, path);
  } catch (error) {
    await removeQuietly(fs, temp);
    throw writeError(error, path);
  } finally {
    untrackTemp(temp);
  }
  await syncFolder(fs, dirname(path));
  let ok: boolean;
  try {
    ok = await checks.afterRename(await fs.readFile(path));
  } catch {
    ok = false;
  }
  if (!ok) await removeQuietly(fs, path);
  return ok;
}

/** Builds the file for `format`, writes it verified, and says whether it was verified. */
export async function exportAccounts(
  deps: ExportDeps,
  accounts: readonly Account[],
  format: ExportFormat,
  path: string,
  options: { password?: string | undefined; backupKey?: BackupKey } = {},
): Promise<ExportResult> {
  const random = deps.random ?? randomBytes;
  const now = deps.now();
  const name = basename(path);
  const expectedHash = accountsHash(accounts);
  let bytes: Buffer;
  let beforeRename: (read: Buffer) => Promise<boolean>;
  let afterRename: (read: Buffer) => Promise<boolean>;

  if (format === 'otpauth') {
    bytes = Buffer.from(otpauthList(accounts), 'utf8');
    const same = async (read: Buffer) => sha256(read) === sha256(bytes);
    beforeRename = afterRename = same;
  } else {
    const password = options.password;
    if (format !== 'chronokey' || !options.backupKey) requirePassword(password);
    if (format === 'kdbx') {
      bytes = await encryptKeePassDatabase(accounts, password!);
      const expected = keePassEntriesHash(keePassEntries(accounts));
      const check = async (read: Buffer) =>
        keePassEntriesHash(await readKeePassDatabase(read, password!)) === expected;
      beforeRename = afterRename = check;
    } else if (format === 'chronokey') {
      const key = options.backupKey ?? (await deriveBackupKey(password!, random));
      const matches = (found: readonly Account[]) =>
        found.length === accounts.length && accountsHash(found) === expectedHash;
      try {
        bytes = encodeBackup(accounts, key, { now, random });
        // Before the rename: the key just used. After it: the password again, from the salt and
        // parameters in the file, exactly as a restore would (automatic backups keep only a key).
        const readBack = decryptBackupWithKey(bytes, key, name);
        if (!matches(readBack.accounts))
          return { path, verified: false, accounts: accounts.length };
        const keyCopy: BackupKey = {
          params: key.params,
          salt: key.salt,
          key: Buffer.from(key.key),
        };
        beforeRename = async (read) => matches(decryptBackupWithKey(read, keyCopy, name).accounts);
        afterRename = async (read) => {
          try {
            return password !== undefined
              ? matches((await decryptBackup(read, password, name)).accounts)
              : matches(decryptBackupWithKey(read, keyCopy, name).accounts);
          } finally {
            keyCopy.key.fill(0);
          }
        };
      } finally {
        if (!options.backupKey) key.key.fill(0);
      }
    } else {
      bytes = await encryptAegisVault(accounts, password!, { random });
      const expected = aegisEntriesHash(aegisEntries(accounts));
      const check = async (read: Buffer) => {
        const entries = await decryptAegisVault(read, password!, name);
        return entries.length === accounts.length && aegisEntriesHash(entries) === expected;
      };
      beforeRename = afterRename = check;
    }
  }
  const verified = await writeVerified(deps.fs, path, bytes, { beforeRename, afterRename }, random);
  return { path, verified, accounts: accounts.length };
}

function requirePassword(password: string | undefined): asserts password is string {
  if (password === undefined || password.length === 0) {
    throw new ChronokeyError(
      'BACKUP_PASSWORD_REQUIRED',
      'An encrypted export needs a password: type one (twice) to protect the file.',
    );
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function removeQuietly(fs: VaultFs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Already gone or never made.
  }
}

async function syncFolder(fs: VaultFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the file itself was synced.
  }
}

function writeError(error: unknown, path: string): ChronokeyError {
  if (error instanceof ChronokeyError) return error;
  const code = errnoCode(error) ?? 'unknown error';
  return new ChronokeyError(
    'BACKUP_UNWRITABLE',
    `Could not write "${path}" (${code}). Check that the folder exists, is writable and has free space; no file was left there.`,
  );
}
