import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeytarKeychain,
  createMemoryKeychain,
  type Keytar,
} from '../../../../main/core/vault/keychain';
import { removeRoot, tempRoot } from './helpers/fixtures';
import { expectCode } from './helpers/deps';

/** These tests talk to the real OS keychain (gnome-keyring in a private D-Bus session). */
const keychain = createKeytarKeychain();
const used: string[] = [];
function uniqueAccount(): string {
  const account = `test:${randomUUID()}`;
  used.push(account);
  return account;
}
afterAll(async () => {
  for (const account of used) await keychain.delete(account);
});

describe('the keytar keychain', () => {
  it('is reachable in the test session', async () => {
    expect(await keychain.isAvailable()).toBe(true);
  });

  it('stores, reads and deletes a value', async () => {
    const account = uniqueAccount();
    expect(await keychain.get(account)).toBeNull();
    await keychain.set(account, 'c2VjcmV0');
    expect(await keychain.get(account)).toBe('c2VjcmV0');
    await keychain.set(account, 'b3RoZXI=');
    expect(await keychain.get(account)).toBe('b3RoZXI=');
    expect(await keychain.delete(account)).toBe(true);
    expect(await keychain.get(account)).toBeNull();
    expect(await keychain.delete(account)).toBe(false);
  });

  it('keeps services apart', async () => {
    const account = uniqueAccount();
    const other = createKeytarKeychain('Chronokey-test-other');
    await keychain.set(account, 'one');
    expect(await other.get(account)).toBeNull();
  });

  it('gives up on a keychain that never answers', async () => {
    const never = new Promise<never>(() => undefined);
    const hanging: Keytar = {
      getPassword: () => never,
      setPassword: () => never,
      deletePassword: () => never,
      findCredentials: () => never,
    };
    const slow = createKeytarKeychain('Chronokey', { timeoutMs: 100, keytar: hanging });
    // Without the 100 ms timeout this would wait forever (past vitest's timeout).
    const error = await expectCode(slow.get('x'), 'KEYCHAIN_UNAVAILABLE');
    if (process.platform === 'linux') expect(error.message).toMatch(/gnome-keyring or KWallet/);
    expect(await slow.isAvailable()).toBe(false);
  });

  it('maps keytar failures to KEYCHAIN_UNAVAILABLE', async () => {
    const failing: Keytar = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('boom')),
      deletePassword: () => Promise.reject(new Error('boom')),
      findCredentials: () => Promise.reject(new Error('boom')),
    };
    const broken = createKeytarKeychain('Chronokey', { keytar: failing });
    await expectCode(broken.get('x'), 'KEYCHAIN_UNAVAILABLE');
    await expectCode(broken.set('x', 'y'), 'KEYCHAIN_UNAVAILABLE');
    await expectCode(broken.delete('x'), 'KEYCHAIN_UNAVAILABLE');
  });

  it('with no session bus: unavailable, and createVault asks for a password', async () => {
    const root = await tempRoot();
    try {
      const dir = join(root, 'vault');
      const script = join(import.meta.dirname, 'helpers', 'keychain-probe.ts');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', script, dir],
        {
          env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/chronokey-bus' },
          timeout: 20_000,
        },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      expect(result.available).toBe(false);
      expect(result.get.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(result.create.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(result.create.message).toMatch(
        /password is needed because no system keychain could be reached/,
      );
      expect(result.create.message).toMatch(/gnome-keyring or KWallet/);
      // Refused before anything was made: no folder is left behind.
      expect(existsSync(dir)).toBe(false);
    } finally {
      await removeRoot(root);
    }
  }, 30_000);
});

describe('the memory keychain', () => {
  it('behaves like a keychain, and like none when unavailable', async () => {
    const memory = createMemoryKeychain();
    await memory.set('a', '1');
    expect(await memory.get('a')).toBe('1');
    expect(await memory.delete('a')).toBe(true);
    memory.available = false;
    expect(await memory.isAvailable()).toBe(false);
    await expectCode(memory.get('a'), 'KEYCHAIN_UNAVAILABLE');
  });
});
