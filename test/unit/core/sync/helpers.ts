import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../../../../shared/domain';
import { VaultContent, emptyVaultContent } from '../../../../shared/vault-content';
import { joinSync, setUpSync } from '../../../../main/core/sync/sync-admin';
import {
  runSyncPass,
  type SyncPassOptions,
  type SyncVault,
} from '../../../../main/core/sync/sync-pass';
import { nodeVaultFs, type VaultFs } from '../../../../main/core/vault/vault-fs';
import { makeAccount } from '../vault/helpers/fixtures';

/** A sync password that passes the strength floor. */
export const SYNC_PASSWORD = 'lantern orchard pebble cobalt drift';

/** A vault in memory with the same update rules as the real one (validated, whole or nothing). */
export function memoryVault(content: VaultContent = emptyVaultContent()) {
  let current = VaultContent.parse(content);
  let writes = 0;
  const vault: SyncVault & { readonly current: VaultContent; readonly writes: number } = {
    get current() {
      return current;
    },
    get writes() {
      return writes;
    },
    content: async () => structuredClone(current),
    update: async (change) => {
      const draft = structuredClone(current);
      const result = change(draft);
      const next = VaultContent.parse(draft);
      if (JSON.stringify(next) !== JSON.stringify(current)) {
        current = next;
        writes += 1;
      }
      return result;
    },
  };
  return vault;
}

/** One simulated device: its vault, clock and a pass through the shared folder. */
export class TestDevice {
  readonly vault = memoryVault();
  skew = 0;

  constructor(
    readonly name: string,
    private readonly time: { now: number },
    private readonly fs: VaultFs = nodeVaultFs,
  ) {}

  get deps() {
    return {
      vault: this.vault,
      fs: this.fs,
      clock: { now: () => this.time.now + this.skew },
      random: randomBytes,
    };
  }

  get accounts(): Account[] {
    return this.vault.current.accounts;
  }

  async setUp(folder: string): Promise<void> {
    await setUpSync(this.deps, { folder, password: SYNC_PASSWORD, deviceName: this.name });
  }

  async join(folder: string, password = SYNC_PASSWORD): Promise<void> {
    await joinSync(this.deps, { folder, password, deviceName: this.name });
  }

  pass(options: SyncPassOptions = {}) {
    return runSyncPass(this.deps, options);
  }

  async edit(change: (accounts: Account[]) => void): Promise<void> {
    await this.vault.update((draft) => change(draft.accounts));
  }

  async add(...ids: string[]): Promise<void> {
    await this.edit((accounts) => {
      for (const id of ids) {
        accounts.push(
          makeAccount(id, {
            issuer: `Issuer ${id}`,
            account: `${id}@example.com`,
            secret: secretFor(id),
            tags: [],
          }),
        );
      }
    });
  }
}

/** A distinct valid base32 secret per id (so accounts are not duplicates of each other). */
export function secretFor(id: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let index = 0; index < 32; index += 1) out += alphabet[digest[index % digest.length]! % 32];
  return out;
}

export async function tempFolder(prefix = 'chronokey-sync-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

/** Every file under `dir`, with its bytes. */
export async function filesUnder(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

export function ids(accounts: readonly Account[]): string[] {
  return accounts.map((account) => account.id).sort();
}
