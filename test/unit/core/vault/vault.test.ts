import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyVaultContent } from '../../../../shared/vault-content';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';
import { createVault, inspectVault, openVault } from '../../../../main/core/vault/vault';
import { contentWith, makeAccount, removeRoot, snapshotDir, tempRoot } from './helpers/fixtures';
import { expectCode, memoryDeps } from './helpers/deps';

let root: string;
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

describe('creating and opening', () => {
  it('creates a keychain-only vault that opens through the keychain', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    const content = contentWith(3);
    const created = await createVault(deps, { useKeychain: true, content });
    expect(created.slots()).toEqual(['keychain']);
    expect((await readdir(dir)).sort()).toEqual(['vault.ckv', 'vault.state']);

    const info = await inspectVault(deps);
    expect(info).toMatchObject({ exists: true, slots: ['keychain'], version: 2 });
    expect([...keychain.entries.keys()]).toEqual([`vault:${info.vaultId}`]);

    const opened = await openVault(deps);
    expect(opened.content).toEqual(content);
  });

  it('creates a password-only vault that needs the password', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: false, password: 'hunter2 hunter2' });
    expect(keychain.entries.size).toBe(0);
    expect((await inspectVault(deps)).slots).toEqual(['password']);

    const opened = await openVault(deps, { password: 'hunter2 hunter2' });
    expect(opened.content).toEqual(emptyVaultContent());

    const before = await snapshotDir(dir);
    const required = await expectCode(openVault(deps), 'VAULT_PASSWORD_REQUIRED');
    expect(required.message).toMatch(/password/);
    const wrong = await expectCode(
      openVault(deps, { password: 'hunter3' }),
      'VAULT_WRONG_PASSWORD',
    );
    expect(wrong.message).toBe('The password does not open this vault. Check it and try again.');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('creates a vault with both slots that opens either way', async () => {
    const { deps } = memoryDeps(root);
    const content = contentWith(2);
    await createVault(deps, { useKeychain: true, password: 'pässword', content });
    expect((await inspectVault(deps)).slots).toEqual(['keychain', 'password']);
    expect((await openVault(deps)).content).toEqual(content);
    expect((await openVault(deps, { password: 'pässword' })).content).toEqual(content);
    // NFC and NFD spellings of the same password are the same password.
    expect((await openVault(deps, { password: 'pa\u0308ssword' })).content).toEqual(content);
  });

  it('refuses a vault with neither a password nor the keychain, creating nothing', async () => {
    const { deps, dir } = memoryDeps(root);
    await expectCode(createVault(deps, { useKeychain: false }), 'VAULT_PASSWORD_REQUIRED');
    await expectCode(
      createVault(deps, { useKeychain: false, password: '' }),
      'VAULT_PASSWORD_EMPTY',
    );
    expect(await snapshotDir(dir)).toEqual({});
  });

  it('says a password is needed when no keychain can be reached', async () => {
    const keychain = createMemoryKeychain({ available: false });
    const { deps, dir } = memoryDeps(root, { keychain });
    const error = await expectCode(
      createVault(deps, { useKeychain: true }),
      'KEYCHAIN_UNAVAILABLE',
    );
    expect(error.message).toMatch(/password is needed because no system keychain could be reached/);
    if (process.platform === 'linux') expect(error.message).toMatch(/gnome-keyring or KWallet/);
    // Refused before anything was made: no empty folder is left behind.
    expect(existsSync(dir)).toBe(false);

    // With a password but still asking for the keychain: refused, never silently downgraded.
    await expectCode(
      createVault(deps, { useKeychain: true, password: 'pw' }),
      'KEYCHAIN_UNAVAILABLE',
    );
    expect(existsSync(dir)).toBe(false);
    // Password only works without any keychain.
    await createVault(deps, { useKeychain: false, password: 'pw' });
    expect((await inspectVault(deps)).slots).toEqual(['password']);
  });

  it('never creates over an existing vault or a lone previous generation', async () => {
    const { deps, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: true, content: contentWith(1) });
    const before = await snapshotDir(dir);
    const error = await expectCode(createVault(deps, { useKeychain: true }), 'VAULT_EXISTS');
    expect(error.message).toContain(dir);
    expect(await snapshotDir(dir)).toEqual(before);

    const { deps: deps2, dir: dir2 } = memoryDeps(join(root, 'other'));
    await mkdir(dir2, { recursive: true });
    await copyFile(join(dir, 'vault.ckv'), join(dir2, 'vault.ckv.prev'));
    const prevOnly = await expectCode(createVault(deps2, { useKeychain: true }), 'VAULT_EXISTS');
    expect(prevOnly.message).toMatch(/vault\.ckv\.prev/);
    expect(await readdir(dir2)).toEqual(['vault.ckv.prev']);
  });

  it('reports a missing vault with what to do', async () => {
    const { deps, dir } = memoryDeps(root);
    const missingFolder = await expectCode(openVault(deps), 'VAULT_NOT_FOUND');
    expect(missingFolder.message).toMatch(/chronokey init/);
    expect(await inspectVault(deps)).toEqual({ exists: false, slots: [] });

    await mkdir(dir);
    const emptyFolder = await expectCode(openVault(deps), 'VAULT_NOT_FOUND');
    expect(emptyFolder.message).toContain(dir);
    expect(await readdir(dir)).toEqual([]);
  });

  it('points at vault.ckv.prev when only the previous generation is left', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    await vault.update((draft) => void draft.accounts.push(makeAccount('x')));
    await unlink(join(dir, 'vault.ckv'));
    const error = await expectCode(openVault(deps), 'VAULT_NOT_FOUND');
    expect(error.message).toMatch(/vault\.ckv\.prev.*rename/);
  });

  it('keeps vaults in different folders apart in the keychain', async () => {
    const keychain = createMemoryKeychain();
    const a = { dir: join(root, 'a'), keychain };
    const b = { dir: join(root, 'b'), keychain };
    await createVault(a, { useKeychain: true, content: contentWith(1, 'a') });
    await createVault(b, { useKeychain: true, content: contentWith(1, 'b') });
    expect(keychain.entries.size).toBe(2);
    expect((await openVault(a)).content.accounts[0]?.id).toBe('a0');
    expect((await openVault(b)).content.accounts[0]?.id).toBe('b0');
  });

  it('rejects invalid initial content', async () => {
    const { deps } = memoryDeps(root);
    const content = { ...emptyVaultContent(), accounts: [makeAccount('x', { digits: 99 })] };
    await expectCode(createVault(deps, { useKeychain: true, content }), 'VAULT_CONTENT_INVALID');
  });
});

describe('keychain problems at unlock', () => {
  it('says the key is missing, and how to get in', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: true, password: 'pw' });
    keychain.entries.clear();
    const before = await snapshotDir(dir);
    const withPassword = await expectCode(openVault(deps), 'VAULT_KEYCHAIN_ENTRY_MISSING');
    expect(withPassword.message).toMatch(/missing from the system keychain.*password/);
    expect((await openVault(deps, { password: 'pw' })).content.accounts).toEqual([]);
    expect(await snapshotDir(dir)).toEqual(before);

    const other = memoryDeps(join(root, 'k'));
    await createVault(other.deps, { useKeychain: true });
    other.keychain.entries.clear();
    const noPassword = await expectCode(openVault(other.deps), 'VAULT_KEYCHAIN_ENTRY_MISSING');
    expect(noPassword.message).toMatch(/backup/);
  });

  it('says when the keychain holds a key that does not fit', async () => {
    const { deps, keychain } = memoryDeps(root);
    await createVault(deps, { useKeychain: true });
    for (const account of keychain.entries.keys()) {
      keychain.entries.set(account, Buffer.alloc(32, 7).toString('base64'));
    }
    await expectCode(openVault(deps), 'VAULT_KEYCHAIN_ENTRY_INVALID');
  });

  it('says when the keychain cannot be reached', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: true, password: 'pw' });
    keychain.available = false;
    const before = await snapshotDir(dir);
    const error = await expectCode(openVault(deps), 'KEYCHAIN_UNAVAILABLE');
    expect(error.message).toMatch(/password/);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('tells the user a keychain-only vault has no password', async () => {
    const { deps } = memoryDeps(root);
    await createVault(deps, { useKeychain: true });
    await expectCode(openVault(deps, { password: 'anything' }), 'VAULT_NO_PASSWORD');
  });
});

describe('encryption at rest', () => {
  it('keeps secrets, names, issuers and settings out of the file', async () => {
    const { deps, dir } = memoryDeps(root);
    const content = emptyVaultContent();
    content.accounts.push(
      makeAccount('id-visible?', {
        issuer: 'MegaBank',
        account: 'alice@corp',
        secret: 'GEZDGNBVGY3TQOJQ',
      }),
    );
    content.settings.theme = 'dark';
    await createVault(deps, { useKeychain: true, content });
    const bytes = await readFile(join(dir, 'vault.ckv'));
    for (const needle of [
      'MegaBank',
      'alice@corp',
      'GEZDGNBVGY3TQOJQ',
      'id-visible?',
      'dark',
      'accounts',
    ]) {
      expect(bytes.includes(needle), needle).toBe(false);
    }
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('CHRONOKV');
  });

  it('uses a fresh nonce for every write', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      await vault.update((draft) => void (draft.settings.autoLockMinutes = i + 1));
      const bytes = await readFile(join(dir, 'vault.ckv'));
      const headerLength = bytes.readUInt32BE(10);
      nonces.add(bytes.subarray(14 + headerLength + 32, 14 + headerLength + 44).toString('hex'));
    }
    expect(nonces.size).toBe(5);
  });
});

describe('updates', () => {
  it('changes, persists and keeps the previous generation', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, content: contentWith(1) });
    const returned = await vault.update((draft) => {
      draft.accounts.push(makeAccount('second'));
      return draft.accounts.length;
    });
    expect(returned).toBe(2);
    expect(vault.content.accounts.map((a) => a.id)).toEqual(['a0', 'second']);
    expect((await openVault(deps)).content.accounts).toHaveLength(2);

    // The previous generation is a complete vault with the content before the update.
    const prevDir = join(root, 'prev');
    await mkdir(prevDir);
    await copyFile(join(dir, 'vault.ckv.prev'), join(prevDir, 'vault.ckv'));
    const prev = await openVault({ ...deps, dir: prevDir });
    expect(prev.content.accounts.map((a) => a.id)).toEqual(['a0']);
    expect((await readdir(dir)).sort()).toEqual(['vault.ckv', 'vault.ckv.prev', 'vault.state']);
  });

  it('writes nothing when the change throws, and releases the lock', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, content: contentWith(1) });
    await vault.update((draft) => void draft.accounts.push(makeAccount('b')));
    const before = await snapshotDir(dir);
    await expect(
      vault.update((draft) => {
        draft.accounts.length = 0;
        throw new Error('user cancelled');
      }),
    ).rejects.toThrow('user cancelled');
    expect(await snapshotDir(dir)).toEqual(before);
    expect(vault.content.accounts).toHaveLength(2);
    await vault.update((draft) => void draft.accounts.pop());
    expect((await openVault(deps)).content.accounts).toHaveLength(1);
  });

  it('refuses a change that would make the content invalid', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const before = await snapshotDir(dir);
    await expectCode(
      vault.update((draft) => void (draft.settings.theme = 'neon' as 'dark')),
      'VAULT_CONTENT_INVALID',
    );
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('does not write a change that changes nothing', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, content: contentWith(2) });
    const before = await snapshotDir(dir);
    await vault.update(() => undefined);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('re-reads before changing, so a second writer is never overwritten', async () => {
    const { deps } = memoryDeps(root);
    const first = await createVault(deps, { useKeychain: true });
    const second = await openVault(deps);
    await first.update((draft) => void draft.accounts.push(makeAccount('from-first')));
    await second.update((draft) => void draft.accounts.push(makeAccount('from-second')));
    expect(second.content.accounts.map((a) => a.id)).toEqual(['from-first', 'from-second']);
    expect(first.content.accounts).toHaveLength(1);
    await first.reload();
    expect(first.content.accounts).toHaveLength(2);
  });

  it('serialises concurrent updates within one process', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        vault.update((draft) => void draft.accounts.push(makeAccount(`p${i}`))),
      ),
    );
    expect((await openVault(deps)).content.accounts).toHaveLength(20);
  });

  it('hands out a frozen snapshot', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, content: contentWith(1) });
    expect(() => vault.content.accounts.push(makeAccount('z'))).toThrow(TypeError);
    expect(() => {
      (vault.content.accounts[0] as { issuer: string }).issuer = 'x';
    }).toThrow(TypeError);
  });

  it('refuses asynchronous change functions', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const before = await snapshotDir(dir);
    await expect(vault.update(async () => undefined)).rejects.toThrow(/synchronous/);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('never overwrites a vault that no longer decrypts', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, content: contentWith(2) });
    const path = join(dir, 'vault.ckv');
    const bytes = await readFile(path);
    bytes[bytes.length - 20]! ^= 0x10;
    await writeFile(path, bytes);
    const before = await snapshotDir(dir);
    await expectCode(
      vault.update((draft) => void draft.accounts.push(makeAccount('lost?'))),
      'VAULT_CORRUPT',
    );
    await expectCode(vault.setPassword('pw'), 'VAULT_CORRUPT');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('notices when the folder now holds a different vault', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const other = memoryDeps(join(root, 'other'), { keychain: deps.keychain });
    await createVault(other.deps, { useKeychain: true, content: contentWith(1) });
    await copyFile(join(other.dir, 'vault.ckv'), join(dir, 'vault.ckv'));
    const before = await snapshotDir(dir);
    await expectCode(
      vault.update(() => 1),
      'VAULT_REPLACED',
    );
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('forgets everything on close', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    vault.close();
    expect(() => vault.content).toThrow(/locked/);
    await expectCode(
      vault.update(() => 1),
      'VAULT_LOCKED',
    );
    await expectCode(vault.reload(), 'VAULT_LOCKED');
  });
});

describe('format versions', () => {
  it('refuses a vault made by a newer Chronokey without touching it', async () => {
    const { deps, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: true });
    const path = join(dir, 'vault.ckv');
    const bytes = await readFile(path);
    bytes.writeUInt16BE(3, 8);
    await writeFile(path, bytes);
    const before = await snapshotDir(dir);
    const error = await expectCode(openVault(deps), 'VAULT_VERSION_UNSUPPORTED');
    expect(error.message).toMatch(/newer Chronokey.*Update/);
    await expectCode(inspectVault(deps), 'VAULT_VERSION_UNSUPPORTED');
    expect(await snapshotDir(dir)).toEqual(before);
  });
});
