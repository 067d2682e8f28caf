import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { open } from '../../../../main/core/vault/aead';
import { unwrapKeychainSlot, unwrapPasswordSlot } from '../../../../main/core/vault/key-slots';
import { parseVaultFile } from '../../../../main/core/vault/vault-file';
import { createVault, openVault, type VaultDeps } from '../../../../main/core/vault/vault';
import { makeAccount, removeRoot, tempRoot } from './helpers/fixtures';
import { expectCode, memoryDeps } from './helpers/deps';

/**
 * Changing the password, removing it and turning the keychain off give the vault a new data
 * key: an old copy of the file (a backup, a sync engine's history, vault.ckv.prev) and the old
 * password or keychain secret must not decrypt anything written after the change.
 */

let root: string;
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

async function fileOf(dir: string, name = 'vault.ckv') {
  return parseVaultFile(await readFile(join(dir, name)));
}

/** The data key an old copy of the file gives with its old password. */
async function dataKeyFromPassword(dir: string, password: string, name = 'vault.ckv') {
  const { header } = await fileOf(dir, name);
  const slot = header.slots.find((candidate) => candidate.type === 'password');
  if (slot?.type !== 'password') throw new Error('no password slot');
  const key = await unwrapPasswordSlot(slot, header.vaultId, password);
  if (!key) throw new Error('the password does not open this copy');
  return key;
}

function dataKeyFromKeychain(
  header: Awaited<ReturnType<typeof fileOf>>['header'],
  secret: string,
): Buffer {
  const slot = header.slots.find((candidate) => candidate.type === 'keychain');
  if (slot?.type !== 'keychain') throw new Error('no keychain slot');
  const key = unwrapKeychainSlot(slot, header.vaultId, secret);
  if (!key) throw new Error('the secret does not open this copy');
  return key;
}

/** Decrypts a file's payload with a data key; null when the key does not open it. */
async function decryptsWith(dir: string, dataKey: Buffer, name = 'vault.ckv') {
  const file = await fileOf(dir, name);
  return open(dataKey, file.nonce, file.sealed, file.prefix);
}

async function keepCopy(deps: VaultDeps, name: string): Promise<string> {
  const copy = join(root, name);
  await mkdir(copy);
  await copyFile(join(deps.dir, 'vault.ckv'), join(copy, 'vault.ckv'));
  return copy;
}

describe('data key rotation', () => {
  it('a password change gives a new data key: the old copy and old password open nothing newer', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: false, password: 'old password' });
    await vault.update((draft) => void draft.accounts.push(makeAccount('before')));
    const old = await keepCopy(deps, 'old');
    const oldKey = await dataKeyFromPassword(old, 'old password');
    expect(await decryptsWith(old, oldKey)).not.toBeNull();

    await vault.setPassword('new password');
    await vault.update((draft) => void draft.accounts.push(makeAccount('after')));

    expect(await decryptsWith(deps.dir, oldKey)).toBeNull();
    expect(await decryptsWith(deps.dir, oldKey, 'vault.ckv.prev')).toBeNull();
    const reopened = await openVault(deps, { password: 'new password' });
    expect(reopened.content.accounts.map((account) => account.id)).toEqual(['before', 'after']);
  });

  it('removing the password gives a new key, still opened by the same keychain entry', async () => {
    const { deps, keychain } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, password: 'the password' });
    const oldKey = await dataKeyFromPassword(deps.dir, 'the password');
    const entry = [...keychain.entries.values()][0]!;

    await vault.removePassword();
    await vault.update((draft) => void draft.accounts.push(makeAccount('after')));

    expect(await decryptsWith(deps.dir, oldKey)).toBeNull();
    expect(await decryptsWith(deps.dir, oldKey, 'vault.ckv.prev')).toBeNull();
    // The keychain entry did not change: it unwraps the new key.
    expect([...keychain.entries.values()]).toEqual([entry]);
    const newKey = dataKeyFromKeychain((await fileOf(deps.dir)).header, entry);
    expect(newKey.equals(oldKey)).toBe(false);
    expect((await openVault(deps)).content.accounts).toHaveLength(1);
  });

  it('turning the keychain off gives a new key the old keychain secret cannot reach', async () => {
    const { deps, keychain } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, password: 'the password' });
    const secret = [...keychain.entries.values()][0]!;
    const old = await keepCopy(deps, 'old');
    const oldKey = dataKeyFromKeychain((await fileOf(old)).header, secret);

    await vault.disableKeychain('the password');
    await vault.update((draft) => void draft.accounts.push(makeAccount('after')));

    expect(await decryptsWith(deps.dir, oldKey)).toBeNull();
    expect(await decryptsWith(deps.dir, oldKey, 'vault.ckv.prev')).toBeNull();
    expect((await openVault(deps, { password: 'the password' })).content.accounts).toHaveLength(1);
  });

  it('adding a password or the keychain keeps the data key (nothing old to lock out)', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const before = await fileOf(deps.dir);
    await vault.setPassword('a password');
    const key = await dataKeyFromPassword(deps.dir, 'a password');
    expect(await decryptsWith(deps.dir, key)).not.toBeNull();
    expect(before.header.vaultId).toBe((await fileOf(deps.dir)).header.vaultId);
  });

  it('refuses a password change it cannot carry to the keychain, and changes nothing', async () => {
    const { deps, keychain } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, password: 'old password' });
    const bytes = await readFile(join(deps.dir, 'vault.ckv'));
    keychain.available = false;
    await expectCode(vault.setPassword('new password'), 'KEYCHAIN_UNAVAILABLE');
    expect((await readFile(join(deps.dir, 'vault.ckv'))).equals(bytes)).toBe(true);
    keychain.available = true;
    await openVault(deps, { password: 'old password' });
  });

  it('keeps working in the same session after each rotation', async () => {
    const { deps } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true, password: 'one' });
    await vault.setPassword('two');
    await vault.disableKeychain('two');
    await vault.enableKeychain();
    await vault.removePassword();
    await vault.update((draft) => void draft.accounts.push(makeAccount('still')));
    await vault.reload();
    expect((await openVault(deps)).content.accounts.map((account) => account.id)).toEqual([
      'still',
    ]);
  });
});
