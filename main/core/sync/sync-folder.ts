import { basename, join } from 'node:path';
import { z } from 'zod';
import { FolderId, KeyId } from '../../../shared/sync-state';
import { KEY_BYTES, NONCE_BYTES, open, seal } from '../vault/aead';
import {
  DEFAULT_SCRYPT,
  SALT_BYTES,
  deriveKeyFromPassword,
  type RandomBytes,
} from '../vault/key-slots';
import { writeAndSync } from '../vault/atomic-write';
import { errnoCode } from '../vault/vault-errors';
import { scryptMemoryFits, scryptWrappedKeyFields } from '../vault/vault-file';
import type { VaultFs } from '../vault/vault-fs';
import { syncErrors } from './sync-errors';

/**
 * The sync folder on disk (docs/sync-format.md, "The folder" and "sync.json"): where things
 * are, the sync key wrapped by the sync password, and atomic writes of this device's files.
 */

export const SYNC_DIR = 'Chronokey Sync';
export const SYNC_FILE = 'sync.json';
export const DEVICES_DIR = 'devices';
export const REPLICA_EXT = '.ckr';

export interface SyncPaths {
  root: string;
  syncFile: string;
  devices: string;
}

/**
 * The picked folder holds `Chronokey Sync/`; picking `Chronokey Sync` itself (as people do when
 * joining) means the same.
 */
export function syncPaths(picked: string): SyncPaths {
  const root = basename(picked) === SYNC_DIR ? picked : join(picked, SYNC_DIR);
  return { root, syncFile: join(root, SYNC_FILE), devices: join(root, DEVICES_DIR) };
}

export function replicaName(deviceId: string): string {
  return `${deviceId}${REPLICA_EXT}`;
}

const SyncFile = z.strictObject({
  format: z.literal('chronokey-sync'),
  version: z.literal(1),
  folderId: FolderId,
  keyId: KeyId,
  createdAt: z.number().int().nonnegative(),
  key: z
    .strictObject(scryptWrappedKeyFields)
    .refine(scryptMemoryFits, 'scrypt needs too much memory'),
});
export type SyncFile = z.infer<typeof SyncFile>;

const SYNC_VERSION = 1;

function keyAad(folderId: string, keyId: string): Buffer {
  return Buffer.from(`chronokey-sync-key:v1:${folderId}:${keyId}`, 'utf8');
}

export async function wrapSyncKey(
  key: Buffer,
  ids: { folderId: string; keyId: string; createdAt: number },
  password: string,
  random: RandomBytes,
): Promise<SyncFile> {
  const salt = random(SALT_BYTES);
  const nonce = random(NONCE_BYTES);
  const wrapping = await deriveKeyFromPassword(password, salt, DEFAULT_SCRYPT);
  try {
    const wrapped = seal(wrapping, nonce, key, keyAad(ids.folderId, ids.keyId));
    return {
      format: 'chronokey-sync',
      version: SYNC_VERSION,
      folderId: ids.folderId,
      keyId: ids.keyId,
      createdAt: ids.createdAt,
      key: {
        kdf: 'scrypt',
        ...DEFAULT_SCRYPT,
        salt: salt.toString('base64'),
        nonce: nonce.toString('base64'),
        wrappedKey: wrapped.toString('base64'),
      },
    };
  } finally {
    wrapping.fill(0);
  }
}

/** The sync key, or null when the password does not open it. */
export async function unwrapSyncKey(file: SyncFile, password: string): Promise<Buffer | null> {
  const wrapping = await deriveKeyFromPassword(
    password,
    Buffer.from(file.key.salt, 'base64'),
    file.key,
  );
  try {
    const key = open(
      wrapping,
      Buffer.from(file.key.nonce, 'base64'),
      Buffer.from(file.key.wrappedKey, 'base64'),
      keyAad(file.folderId, file.keyId),
    );
    return key && key.length === KEY_BYTES ? key : null;
  } finally {
    wrapping.fill(0);
  }
}

/** Reads `sync.json`: SYNC_FOLDER_MISSING, SYNC_FOLDER_UNREADABLE, SYNC_FILE_DAMAGED or _NEWER. */
export async function readSyncFile(fs: VaultFs, paths: SyncPaths): Promise<SyncFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(paths.syncFile);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw syncErrors.folderMissing(paths.root);
    throw syncErrors.folderUnreadable(paths.root, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw syncErrors.syncFileDamaged(paths.syncFile);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > SYNC_VERSION) throw syncErrors.syncFileNewer();
  const parsed = SyncFile.safeParse(json);
  if (!parsed.success) throw syncErrors.syncFileDamaged(paths.syncFile);
  return parsed.data;
}

/** Whether the picked folder already holds a sync folder (set up, so join it instead). */
export async function holdsSync(fs: VaultFs, paths: SyncPaths): Promise<boolean> {
  try {
    await fs.stat(paths.syncFile);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return false;
    throw syncErrors.folderUnreadable(paths.root, error);
  }
}

/** Writes `sync.json` (and makes `devices/`): SYNC_FOLDER_UNWRITABLE when it cannot. */
export async function writeSyncFile(
  fs: VaultFs,
  paths: SyncPaths,
  file: SyncFile,
  random: RandomBytes,
): Promise<void> {
  try {
    await fs.mkdir(paths.devices, { recursive: true });
    const bytes = Buffer.from(`${JSON.stringify(file, null, 2)}\n`);
    await writeAtomically(fs, paths.root, SYNC_FILE, bytes, random);
  } catch (error) {
    throw syncErrors.folderUnwritable(paths.root, error);
  }
}

/**
 * Writes `name` in `dir` so that readers (and sync engines) only ever see the whole old file
 * or the whole new one: a temp file named with a leading dot (readers skip those), fsync, then
 * a rename over the old one.
 */
export async function writeAtomically(
  fs: VaultFs,
  dir: string,
  name: string,
  bytes: Uint8Array,
  random: RandomBytes,
): Promise<void> {
  const temp = join(dir, `${tempPrefix(name)}${random(6).toString('hex')}`);
  try {
    await writeAndSync(fs, temp, bytes);
    await fs.rename(temp, join(dir, name));
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(fs, dir);
}

export function tempPrefix(name: string): string {
  return `.${name}.tmp-`;
}

/** Removes this device's own temp files a kill left behind (never another device's). */
export async function sweepTempFiles(fs: VaultFs, dir: string, name: string): Promise<void> {
  const prefix = tempPrefix(name);
  for (const entry of await fs.readdir(dir)) {
    if (entry.startsWith(prefix)) await fs.unlink(join(dir, entry)).catch(() => undefined);
  }
}

/** The replica files to read: regular `*.ckr` names not starting with a dot. */
export async function listReplicaFiles(fs: VaultFs, paths: SyncPaths): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(paths.devices);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw syncErrors.folderUnreadable(paths.root, error);
  }
  return names.filter((name) => name.endsWith(REPLICA_EXT) && !name.startsWith('.')).sort();
}

async function syncFolder(fs: VaultFs, dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some network or FUSE file systems cannot fsync a folder; the rename stands.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
