import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../files/read-regular-file';

/**
 * The largest file the vault code reads (the vault itself, its state, an export read back):
 * a vault at its limit of 100,000 accounts is about 40 MB.
 */
export const MAX_VAULT_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The file-system calls the vault makes, as a port: production passes node:fs/promises,
 * tests wrap it to inject errors (EACCES, ENOSPC …) that cannot be provoked for real when
 * running as root.
 */
export interface VaultFileHandle {
  writeFile(data: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface VaultFs {
  readFile(path: string): Promise<Buffer>;
  open(path: string, flags: string, mode?: number): Promise<VaultFileHandle>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  copyFile(from: string, to: string, mode?: number): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode?: number }): Promise<string | undefined>;
  /** Removes an empty folder (fails on one that is not). */
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ isDirectory(): boolean; mtimeMs: number }>;
}

export const nodeVaultFs: VaultFs = {
  // Regular files only, bounded: a vault.ckv symlinked to /dev/zero or a FIFO is refused.
  readFile: (path) => readRegularFile(path, MAX_VAULT_FILE_BYTES),
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  copyFile: (from, to, mode) => fsp.copyFile(from, to, mode),
  unlink: (path) => fsp.unlink(path),
  mkdir: (path, options) => fsp.mkdir(path, options),
  rmdir: (path) => fsp.rmdir(path),
  readdir: (path) => fsp.readdir(path),
  stat: (path) => fsp.stat(path),
};

export const VAULT_FILE = 'vault.ckv';
export const PREV_FILE = 'vault.ckv.prev';
export const LOCK_FILE = 'vault.lock';
/** Temp files start with this; anything matching is ours and safe to delete under the lock. */
export const TEMP_PREFIX = '.vault.ckv.tmp-';

export function vaultPaths(dir: string): { vault: string; prev: string; lock: string } {
  return { vault: join(dir, VAULT_FILE), prev: join(dir, PREV_FILE), lock: join(dir, LOCK_FILE) };
}
