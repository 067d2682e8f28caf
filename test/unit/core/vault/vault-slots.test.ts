import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseVaultFile } from '../../../../main/core/vault/vault-file';
import {
  createVault,
  inspectVault,
  openVault,
  type VaultDeps,
} from '../../../../main/core/vault/vault';
import { contentWith, removeRoot, snapshotDir, tempRoot } from './helpers/fixtures';
import { expectCode, memoryDeps } from './helpers/deps';

let root: string;
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

/** Opens vault.ckv.prev as if it had been restored, to prove what it would unlock with. */
async function prevAsVault(deps: VaultDeps, name: string): Promise<VaultDeps> {
  const prevDir = join(root, name);
  await mkdir(prevDir);
  await copyFile(join(deps.dir, 'vault.ckv.prev'), join(prevDir, 'vault.ckv'));
  return { ...deps, dir: prevDir };
}

describe('password slot', () => {
  it('stores scrypt N=2^15 r=8 p=1 with a 16-byte random salt', async () => {
    const { deps, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: false, password: 'pw' });
    const { header } = parseVaultFile(await readFile(join(dir, 'vault.ckv')));
    const slot = header.slots[0];
    expect(slot).toMatchObject({ type: 'password', kdf: 'scrypt', n: 32768, r: 8, p: 1 });
    expect(Buffer.from(slot?.type === 'password' ? slot.salt : '', 'base64')).toHaveLength(16);
  });

  it('adds a password to a keychain vault, also in vault.ckv.prev', async () => {
    const { deps } = memoryDeps(root);
    const content = contentWith(2);
    const vault = await createVault(deps, { useKeychain: true, content });
    await vault.setPassword('new password');
    expect(vault.slots()).toEqual(['keychain', 'password']);
    expect((await openVault(deps, { password: 'new password' })).content).toEqual(content);
    expect((await openVault(deps)).content).toEqual(content);
    expect((await inspectVault(await prevAsVault(deps, 'prev'))).slots).toEqual([
      'keychain',
      'password',
    ]);
  });

  it('changes the password: the old one opens neither file', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: false, password: 'old' });
    await vault.setPassword('new');
    expect(vault.slots()).toEqual(['password']);
    await expectCode(openVault(deps, { password: 'old' }), 'VAULT_WRONG_PASSWORD');
    const prev = await prevAsVault(deps, 'prev');
    await expectCode(openVault(prev, { password: 'old' }), 'VAULT_WRONG_PASSWORD');
    await openVault(prev, { password: 'new' });
  });

  it('removes the password only when the keychain really opens the vault', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, password: 'pw' });

    const saved = new Map(keychain.entries);
    keychain.entries.clear();
    const before = await snapshotDir(dir);
    const error = await expectCode(vault.removePassword(), 'VAULT_KEYCHAIN_ENTRY_MISSING');
    expect(error.message).toMatch(/password was kept/);
    expect(await snapshotDir(dir)).toEqual(before);

    for (const [k, v] of saved) keychain.entries.set(k, v);
    await vault.removePassword();
    expect(vault.slots()).toEqual(['keychain']);
    await expectCode(openVault(deps, { password: 'pw' }), 'VAULT_NO_PASSWORD');
    expect((await inspectVault(await prevAsVault(deps, 'prev'))).slots).toEqual(['keychain']);
  });

  it('never removes the last way in', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: false, password: 'pw' });
    const before = await snapshotDir(dir);
    await expectCode(vault.removePassword(), 'VAULT_LAST_KEY');
    await vault.disableKeychain('pw'); // no keychain slot: nothing to do
    expect(await snapshotDir(dir)).toEqual(before);

    const other = memoryDeps(join(root, 'k'));
    const keychainOnly = await createVault(other.deps, { useKeychain: true });
    await expectCode(keychainOnly.disableKeychain('pw'), 'VAULT_LAST_KEY');
  });

  it('refuses an empty password', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    await expectCode(vault.setPassword(''), 'VAULT_PASSWORD_EMPTY');
  });
});

describe('keychain slot', () => {
  it('turns the keychain off and deletes its entry', async () => {
    const { deps, keychain } = memoryDeps(root);
    const content = contentWith(1);
    const vault = await createVault(deps, { useKeychain: true, password: 'pw', content });
    await expectCode(vault.disableKeychain('not it'), 'VAULT_WRONG_PASSWORD');
    expect(vault.slots()).toEqual(['keychain', 'password']);
    await vault.disableKeychain('pw');
    expect(vault.slots()).toEqual(['password']);
    expect(keychain.entries.size).toBe(0);
    await expectCode(openVault(deps), 'VAULT_PASSWORD_REQUIRED');
    expect((await openVault(deps, { password: 'pw' })).content).toEqual(content);
  });

  it('turns the keychain on for a password vault', async () => {
    const { deps, keychain } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: false, password: 'pw' });
    await vault.enableKeychain();
    expect(vault.slots()).toEqual(['keychain', 'password']);
    expect(keychain.entries.size).toBe(1);
    await openVault(deps);
    // Turning it on again is a no-op.
    const before = await snapshotDir(deps.dir);
    await vault.enableKeychain();
    expect(await snapshotDir(deps.dir)).toEqual(before);
  });

  it('turning the keychain on again repairs a lost entry', async () => {
    const { deps, keychain } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, password: 'pw' });
    keychain.entries.clear();
    await vault.enableKeychain();
    await openVault(deps);
  });

  it('reports an unreachable keychain and changes nothing', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: false, password: 'pw' });
    keychain.available = false;
    const before = await snapshotDir(dir);
    await expectCode(vault.enableKeychain(), 'KEYCHAIN_UNAVAILABLE');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('sees slot changes made by another writer', async () => {
    const { deps } = memoryDeps(root);
    const first = await createVault(deps, { useKeychain: true });
    const second = await openVault(deps);
    await first.setPassword('pw');
    await second.reload();
    expect(second.slots()).toEqual(['keychain', 'password']);
    // An update by the second writer keeps the slot the first one added.
    await second.update((draft) => void (draft.settings.theme = 'dark'));
    expect((await inspectVault(deps)).slots).toEqual(['keychain', 'password']);
  });
});
