import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import {
  VaultBusyError,
  acquireVaultLock,
  type LockOptions,
} from '../../../../main/core/vault/vault-lock';
import { createVault, openVault } from '../../../../main/core/vault/vault';
import { makeAccount, removeRoot, snapshotDir, tempRoot } from './helpers/fixtures';
import { expectCode, memoryDeps } from './helpers/deps';

let root: string;
let dir: string;
let lockPath: string;
beforeEach(async () => {
  root = await tempRoot();
  dir = join(root, 'vault');
  lockPath = join(dir, 'vault.lock');
  await mkdir(dir);
});
afterEach(async () => {
  await removeRoot(root);
});

function options(extra: Partial<LockOptions> = {}): LockOptions {
  return { fs: nodeVaultFs, dir, random: randomBytes, now: Date.now, timeoutMs: 300, ...extra };
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(result.stdout.toString());
}

describe('vault.lock', () => {
  it('is created exclusively with pid, hostname and time, and removed on release', async () => {
    const lock = await acquireVaultLock(options({ now: () => 1234 }));
    const info = JSON.parse(await readFile(lockPath, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, hostname: hostname(), createdAt: 1234 });
    expect(await lock.stillHeld()).toBe(true);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('makes a second taker wait, then time out', async () => {
    const lock = await acquireVaultLock(options());
    const started = performance.now();
    await expect(acquireVaultLock(options({ timeoutMs: 200 }))).rejects.toBeInstanceOf(
      VaultBusyError,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await lock.release();
  });

  it('lets a waiter in as soon as the holder releases', async () => {
    const lock = await acquireVaultLock(options());
    setTimeout(() => void lock.release(), 60);
    const second = await acquireVaultLock(options({ timeoutMs: 2000 }));
    expect(await second.stillHeld()).toBe(true);
    await second.release();
  });

  it('breaks a lock whose process died on this host', async () => {
    const stale = { pid: deadPid(), hostname: hostname(), createdAt: Date.now(), token: 'old' };
    await writeFile(lockPath, JSON.stringify(stale));
    const lock = await acquireVaultLock(options());
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('respects a live lock from another host until it is very old', async () => {
    const now = Date.now();
    const foreign = { pid: 1, hostname: 'elsewhere', createdAt: now, token: 'theirs' };
    await writeFile(lockPath, JSON.stringify(foreign));
    await expect(acquireVaultLock(options({ staleAfterMs: 60_000 }))).rejects.toBeInstanceOf(
      VaultBusyError,
    );
    const later = await acquireVaultLock(
      options({ staleAfterMs: 60_000, now: () => now + 61_000 }),
    );
    await later.release();
  });

  it('breaks a planted lock stamped in the future (it would never grow old)', async () => {
    const planted = {
      pid: 1,
      hostname: 'elsewhere',
      createdAt: Date.now() + 365 * 24 * 3600_000,
      token: 'planted',
    };
    await writeFile(lockPath, JSON.stringify(planted));
    const lock = await acquireVaultLock(options());
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it.skipIf(process.platform !== 'linux')(
    'breaks a lock whose pid now belongs to a process that is not Chronokey (Linux)',
    async () => {
      // pid 1 is alive, but it is the system's init, not a Node or Electron process.
      const reused = { pid: 1, hostname: hostname(), createdAt: Date.now(), token: 'reused' };
      await writeFile(lockPath, JSON.stringify(reused));
      const cmdline = await readFile('/proc/1/cmdline', 'utf8').catch(() => 'node');
      if (/node|electron|chronokey/i.test(cmdline)) return; // cannot prove it on this machine
      const lock = await acquireVaultLock(options());
      await lock.release();
    },
  );

  it('treats an empty lock file as stale only after a grace period', async () => {
    await writeFile(lockPath, '');
    await expect(acquireVaultLock(options())).rejects.toBeInstanceOf(VaultBusyError);
    const old = (Date.now() - 60_000) / 1000;
    await utimes(lockPath, old, old);
    const lock = await acquireVaultLock(options());
    await lock.release();
  });

  it('does not delete a lock that is no longer its own', async () => {
    const lock = await acquireVaultLock(options());
    const other = { pid: process.pid, hostname: hostname(), createdAt: Date.now(), token: 'other' };
    await writeFile(lockPath, JSON.stringify(other));
    expect(await lock.stillHeld()).toBe(false);
    await lock.release();
    expect(JSON.parse(await readFile(lockPath, 'utf8')).token).toBe('other');
  });
});

describe('the vault under a held lock', () => {
  it('reports VAULT_BUSY and changes nothing', async () => {
    const { deps } = memoryDeps(root, { lock: { timeoutMs: 150 } });
    const vault = await createVault(deps, { useKeychain: true });
    const held = await acquireVaultLock(options());
    const before = await snapshotDir(dir);
    const error = await expectCode(
      vault.update((draft) => void draft.accounts.push(makeAccount('x'))),
      'VAULT_BUSY',
    );
    expect(error.message).toMatch(/Try again in a moment/);
    // It says who holds the lock, and which file to delete if nothing is running.
    expect(error.message).toContain(`held by process ${process.pid}`);
    expect(error.message).toContain(join(dir, 'vault.lock'));
    expect(await snapshotDir(dir)).toEqual(before);
    await held.release();
    await vault.update((draft) => void draft.accounts.push(makeAccount('x')));
    expect((await openVault(deps)).content.accounts).toHaveLength(1);
  });

  it('does not write if its lock was broken while it worked', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const before = await snapshotDir(dir);
    await expectCode(
      vault.update((draft) => {
        // Simulates a waiter that (wrongly) judged our lock stale and took it.
        writeFileSync(
          lockPath,
          JSON.stringify({ pid: 1, hostname: 'x', createdAt: 0, token: 't' }),
        );
        draft.accounts.push(makeAccount('x'));
      }),
      'VAULT_BUSY',
    );
    const after = await snapshotDir(dir);
    delete after['vault.lock'];
    delete before['vault.lock'];
    expect(after).toEqual(before);
  });
});
