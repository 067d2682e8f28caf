import { unlinkSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ChronokeyError } from '../../../shared/errors';
import { isProcessAlive } from '../vault/vault-lock';
import { errnoCode } from '../vault/vault-errors';
import type { VaultFs } from '../vault/vault-fs';
import { MAGIC } from '../vault/vault-file';

/**
 * The files an export writes besides its target: a temp file in the same folder (so the rename
 * into place is atomic), named `.<target>.chronokey-tmp-<pid>-<random>`. It holds what the
 * target will hold (for a plain otpauth list: the secrets in plain text), so none may outlive
 * the export: it is removed when the export ends in any way, on Ctrl+C or termination
 * (`removeTempFilesNow`), and a killed process's leftovers are swept by the next export into
 * that folder.
 */

const TEMP_MARK = '.chronokey-tmp-';
/** Whatever its process, a temp file this old is a leftover (an export takes seconds). */
const STALE_AFTER_MS = 60 * 60 * 1000;

const live = new Set<string>();

export function tempPathFor(target: string, randomHex: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARK}${process.pid}-${randomHex}`);
}

export function trackTemp(path: string): void {
  live.add(path);
}

export function untrackTemp(path: string): void {
  live.delete(path);
}

/** Removes this process's temp files at once (a signal is ending it). Never throws. */
export function removeTempFilesNow(): void {
  for (const path of live) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Deletes temp files left in `folder` by exports that were killed (their process is gone). */
export async function sweepStaleTempFiles(fs: VaultFs, folder: string, now: number): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const at = name.indexOf(TEMP_MARK);
    if (!name.startsWith('.') || at === -1) continue;
    const pid = Number(name.slice(at + TEMP_MARK.length).split('-')[0]);
    const path = join(folder, name);
    if (live.has(path)) continue;
    let stale = !Number.isSafeInteger(pid) || pid <= 0 || !isProcessAlive(pid);
    if (!stale) {
      const info = await fs.stat(path).catch(() => null);
      stale = info !== null && now - info.mtimeMs > STALE_AFTER_MS;
    }
    if (stale) await fs.unlink(path).catch(() => undefined);
  }
}

/**
 * Refuses an export target that would put the accounts where they must not go: anywhere in the
 * vault's own folder (an export there could replace vault.ckv with plain text), over a vault
 * file wherever it is, over a folder, or over an existing file unless `overwrite` (the app's
 * save dialog has asked; the CLI needs --force).
 */
export async function checkExportTarget(
  fs: VaultFs,
  target: string,
  options: { vaultDir?: string | undefined; overwrite: boolean },
): Promise<void> {
  const path = resolve(target);
  if (options.vaultDir !== undefined && (await isInside(options.vaultDir, dirname(path)))) {
    throw new ChronokeyError(
      'EXPORT_TARGET_IN_VAULT',
      `"${path}" is inside the vault's own folder (${options.vaultDir}); an export there could replace the vault. Choose another folder.`,
    );
  }
  let info: { isDirectory(): boolean } | null;
  try {
    info = await fs.stat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  if (info.isDirectory()) {
    throw new ChronokeyError(
      'EXPORT_TARGET_IS_FOLDER',
      `"${path}" is a folder; give the path of the file to write.`,
    );
  }
  if (await startsLikeAVault(fs, path)) {
    throw new ChronokeyError(
      'EXPORT_TARGET_IS_VAULT',
      `"${path}" is a Chronokey vault; an export never replaces a vault. Choose another file.`,
    );
  }
  if (!options.overwrite) {
    throw new ChronokeyError(
      'EXPORT_TARGET_EXISTS',
      `"${path}" already exists. Choose another name, or add --force to replace it.`,
    );
  }
}

/** True when `path` is `folder` itself or anywhere inside it (links resolved). */
export async function isInside(folder: string, path: string): Promise<boolean> {
  const outer = await realpath(folder).catch(() => resolve(folder));
  const inner = await realpath(path).catch(() => resolve(path));
  const between = relative(outer, inner);
  return between === '' || (between.split(sep)[0] !== '..' && !isAbsolute(between));
}

async function startsLikeAVault(fs: VaultFs, path: string): Promise<boolean> {
  try {
    const bytes = await fs.readFile(path);
    return bytes.subarray(0, MAGIC.length).equals(MAGIC);
  } catch {
    return false;
  }
}
