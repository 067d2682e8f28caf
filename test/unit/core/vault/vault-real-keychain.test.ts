import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarKeychain, type Keytar } from '../../../../main/core/vault/keychain';
import {
  createVault,
  destroyKeychainEntry,
  inspectVault,
  openVault,
  type VaultDeps,
} from '../../../../main/core/vault/vault';
import { contentWith, removeRoot, snapshotDir, tempRoot } from './helpers/fixtures';
import { expectCode } from './helpers/deps';

/** The vault against the real OS keychain: every vault gets its own entry, deleted afterwards. */
const keytar = createRequire(import.meta.url)('keytar') as Keytar;
let root: string;
let deps: VaultDeps;
beforeEach(async () => {
  root = await tempRoot();
  deps = { dir: `${root}/vault`, keychain: createKeytarKeychain() };
});
afterEach(async () => {
  await destroyKeychainEntry(deps).catch(() => false);
  await removeRoot(root);
});

describe('with the real keychain', () => {
  it('stores a 256-bit wrapping key under service Chronokey, account vault:<vaultId>', async () => {
    const content = contentWith(3);
    await createVault(deps, { useKeychain: true, content });
    const { vaultId } = await inspectVault(deps);
    const secret = await keytar.getPassword('Chronokey', `vault:${vaultId}`);
    expect(Buffer.from(secret ?? '', 'base64')).toHaveLength(32);
    expect((await openVault(deps)).content).toEqual(content);
  });

  it('reports a missing entry without touching the vault', async () => {
    await createVault(deps, { useKeychain: true, password: 'pw', content: contentWith(1) });
    expect(await destroyKeychainEntry(deps)).toBe(true);
    const before = await snapshotDir(deps.dir);
    const error = await expectCode(openVault(deps), 'VAULT_KEYCHAIN_ENTRY_MISSING');
    expect(error.message).toMatch(/password/);
    expect(await snapshotDir(deps.dir)).toEqual(before);
    expect((await openVault(deps, { password: 'pw' })).content.accounts).toHaveLength(1);
  });

  it('disabling the keychain removes the entry from the OS keychain', async () => {
    const vault = await createVault(deps, { useKeychain: true, password: 'pw' });
    const { vaultId } = await inspectVault(deps);
    await vault.disableKeychain('pw');
    expect(await keytar.getPassword('Chronokey', `vault:${vaultId}`)).toBeNull();
  });
});
