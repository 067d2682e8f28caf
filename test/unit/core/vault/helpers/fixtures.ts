import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../../../../../shared/domain';
import type { VaultContent } from '../../../../../shared/vault-content';
import { emptyVaultContent } from '../../../../../shared/vault-content';

/** A valid account whose id, name and secret depend on `id`. */
export function makeAccount(id: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    type: 'totp',
    issuer: `Issuer ${id}`,
    account: `${id}@example.com`,
    secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    tags: ['work'],
    favourite: false,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    warnings: [],
    ...overrides,
  };
}

export function contentWith(count: number, prefix = 'a'): VaultContent {
  const content = emptyVaultContent();
  for (let i = 0; i < count; i += 1) content.accounts.push(makeAccount(`${prefix}${i}`));
  return content;
}

/** A fresh folder under the system temp dir; the vault lives in a sub-folder it will create. */
export async function tempRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'chronokey-vault-test-'));
}

export async function removeRoot(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

export interface DirSnapshot {
  [name: string]: { bytes: string; mtimeMs: number; size: number };
}

/** Every file's name, bytes and mtime: equal snapshots mean nothing on disk changed. */
export async function snapshotDir(dir: string): Promise<DirSnapshot> {
  const snapshot: DirSnapshot = {};
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return snapshot;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    const info = await stat(path);
    snapshot[name] = {
      bytes: info.isDirectory() ? '<dir>' : (await readFile(path)).toString('base64'),
      mtimeMs: info.mtimeMs,
      size: info.size,
    };
  }
  return snapshot;
}

export function errnoError(code: string, syscall = 'open'): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: simulated failure, ${syscall}`);
  error.code = code;
  error.syscall = syscall;
  return error;
}
