import { constants } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from './vault-errors';
import { PREV_FILE, TEMP_PREFIX, VAULT_FILE, type VaultFs } from './vault-fs';
import type { RandomBytes } from './key-slots';

/**
 * Replaces vault.ckv so that at every instant (a crash, a kill, a power cut after fsync) the
 * folder holds either the whole old file or the whole new one, and vault.ckv.prev holds the
 * generation before. Callers must hold the vault lock: it is what makes deleting leftover temp
 * files safe.
 */
export async function replaceVaultFile(
  fs: VaultFs,
  dir: string,
  bytes: Uint8Array,
  random: RandomBytes,
): Promise<void> {
  const tag = random(8).toString('hex');
  const temp = join(dir, `${TEMP_PREFIX}${tag}`);
  const prevTemp = join(dir, `${TEMP_PREFIX}${tag}.prev`);
  try {
    await writeAndSync(fs, temp, bytes);
    await keepPreviousGeneration(fs, dir, prevTemp);
    await fs.rename(temp, join(dir, VAULT_FILE));
  } catch (error) {
    await removeQuietly(fs, temp);
    await removeQuietly(fs, prevTemp);
    throw error;
  }
  await syncDirectory(fs, dir);
}

/** Creates `path` (never replacing a file), writes `bytes` and flushes them to the disk. */
export async function writeAndSync(fs: VaultFs, path: string, bytes: Uint8Array): Promise<void> {
  // 0o600: the file is encrypted, but nobody else on the machine needs to read it.
  const handle = await fs.open(path, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes vault.ckv.prev the current vault.ckv. A hard link costs no copy and no extra fsync of
 * data; renaming it over .prev means .prev is never half-written either.
 */
async function keepPreviousGeneration(fs: VaultFs, dir: string, prevTemp: string): Promise<void> {
  const current = join(dir, VAULT_FILE);
  try {
    await fs.link(current, prevTemp);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return; // first write: nothing to keep
    if (!['EPERM', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'].includes(code ?? '')) {
      throw error;
    }
    // File systems without hard links (FAT, some network shares): copy and sync instead.
    try {
      await fs.copyFile(current, prevTemp, constants.COPYFILE_EXCL);
    } catch (copyError) {
      if (errnoCode(copyError) === 'ENOENT') return; // such systems may say EPERM before ENOENT
      throw copyError;
    }
    const handle = await fs.open(prevTemp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await fs.rename(prevTemp, join(dir, PREV_FILE));
}

/** Makes the renames durable. Some platforms (Windows, some FUSE) refuse to fsync a folder. */
async function syncDirectory(fs: VaultFs, dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EACCES', 'ENOTSUP'].includes(errnoCode(error) ?? '')) {
      throw error;
    }
  } finally {
    await handle?.close();
  }
}

async function removeQuietly(fs: VaultFs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Already gone, or never created: either way nothing is left behind by us.
  }
}

/** Deletes temp files a killed writer left behind. Only safe while holding the vault lock. */
export async function removeLeftoverTempFiles(fs: VaultFs, dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX)) await removeQuietly(fs, join(dir, name));
  }
}
