import { createHash } from 'node:crypto';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault, openVault } from '../../../../main/core/vault/vault';
import { makeAccount, removeRoot, tempRoot } from './helpers/fixtures';
import { expectCode, memoryDeps } from './helpers/deps';

/**
 * An older vault.ckv put back in place (a copy, a sync engine's history, vault.ckv.prev renamed)
 * must not open silently: deleted accounts would return and HOTP counters rewind, offering codes
 * that were already used.
 */

let root: string;
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

const hotp = () => makeAccount('counter', { type: 'hotp', counter: 5, secret: 'GEZDGNBVGY3TQOJQ' });

/** A vault with two accounts, its file saved as `old.ckv`, then one removed and HOTP advanced. */
async function vaultWithHistory() {
  const { deps, dir } = memoryDeps(root);
  const vault = await createVault(deps, { useKeychain: true });
  await vault.update((draft) => void draft.accounts.push(makeAccount('kept'), hotp()));
  await copyFile(join(dir, 'vault.ckv'), join(root, 'old.ckv'));
  await vault.update((draft) => {
    draft.accounts = draft.accounts.filter((account) => account.id !== 'kept');
    draft.accounts[0]!.counter = 9;
  });
  vault.close();
  return { deps, dir };
}

describe('rollback detection', () => {
  it('warns when an older copy of vault.ckv is put back, and never lowers an HOTP counter', async () => {
    const { deps, dir } = await vaultWithHistory();
    await copyFile(join(root, 'old.ckv'), join(dir, 'vault.ckv'));
    const vault = await openVault(deps);
    const notice = vault.rollback();
    expect(notice).not.toBeNull();
    expect(notice!.fileGeneration).toBeLessThan(notice!.lastSeenGeneration);
    // The old file's content is what it is (the removed account is back)…
    expect(vault.content.accounts.map((account) => account.id)).toEqual(['kept', 'counter']);
    // …but the counter stays at the highest seen here.
    expect(vault.content.accounts.find((account) => account.id === 'counter')!.counter).toBe(9);
  });

  it('warns when vault.ckv.prev is swapped in', async () => {
    const { deps, dir } = await vaultWithHistory();
    await copyFile(join(dir, 'vault.ckv.prev'), join(dir, 'vault.ckv'));
    const vault = await openVault(deps);
    expect(vault.rollback()).not.toBeNull();
    expect(vault.content.accounts.find((account) => account.id === 'counter')!.counter).toBe(9);
  });

  it('keeps the warning while the person uses the vault, until they acknowledge it', async () => {
    const { deps, dir } = await vaultWithHistory();
    await copyFile(join(root, 'old.ckv'), join(dir, 'vault.ckv'));
    const vault = await openVault(deps);
    await vault.update((draft) => void (draft.settings.theme = 'dark'));
    expect(vault.rollback()).not.toBeNull();
    await vault.acknowledgeRollback();
    expect(vault.rollback()).toBeNull();
    vault.close();
    const again = await openVault(deps);
    expect(again.rollback()).toBeNull();
    expect(again.content.accounts.find((account) => account.id === 'counter')!.counter).toBe(9);
  });

  it('notices an older file swapped in while the vault is open', async () => {
    const { deps, dir } = await vaultWithHistory();
    const vault = await openVault(deps);
    expect(vault.rollback()).toBeNull();
    await copyFile(join(root, 'old.ckv'), join(dir, 'vault.ckv'));
    await vault.reload();
    expect(vault.rollback()).not.toBeNull();
    expect(vault.content.accounts.find((account) => account.id === 'counter')!.counter).toBe(9);
  });

  it('says nothing for the newest file, or where this computer has no record (a fresh machine)', async () => {
    const { deps, dir } = await vaultWithHistory();
    expect((await openVault(deps)).rollback()).toBeNull();
    await rm(join(dir, 'vault.state'));
    await copyFile(join(root, 'old.ckv'), join(dir, 'vault.ckv'));
    expect((await openVault(deps)).rollback()).toBeNull();
  });

  it('ignores a damaged state file instead of failing to open', async () => {
    const { deps, dir } = await vaultWithHistory();
    await writeFile(join(dir, 'vault.state'), '{"version":1,"generation":"lots"');
    expect((await openVault(deps)).content.accounts).toHaveLength(1);
  });

  it('writes after a rollback go above every generation seen, so the warning does not come back', async () => {
    const { deps, dir } = await vaultWithHistory();
    await copyFile(join(root, 'old.ckv'), join(dir, 'vault.ckv'));
    const vault = await openVault(deps);
    await vault.acknowledgeRollback();
    await vault.update((draft) => void (draft.settings.theme = 'light'));
    vault.close();
    // A second process (the CLI) opening it now sees no rollback.
    expect((await openVault(deps)).rollback()).toBeNull();
  });
});

/** Rewrites the password slot's scrypt N in the header and recomputes the checksum. */
async function editKdf(dir: string, edit: (slot: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, 'vault.ckv');
  const file = await readFile(path);
  const length = file.readUInt32BE(10);
  const header = JSON.parse(file.subarray(14, 14 + length).toString('utf8')) as {
    slots: Array<Record<string, unknown>>;
  };
  edit(header.slots.find((slot) => slot.type === 'password')!);
  const json = Buffer.from(JSON.stringify(header));
  const fixed = Buffer.from(file.subarray(0, 14));
  fixed.writeUInt32BE(json.length, 10);
  const checksum = createHash('sha256').update(fixed).update(json).digest();
  await writeFile(path, Buffer.concat([fixed, json, checksum, file.subarray(14 + length + 32)]));
}

describe('an edited header is reported as damage, not as a wrong password', () => {
  it('KDF parameters Chronokey does not write', async () => {
    const { deps, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: false, password: 'the password' });
    await editKdf(dir, (slot) => (slot.n = 65536));
    const error = await expectCode(openVault(deps, { password: 'the password' }), 'VAULT_CORRUPT');
    expect(error.message).toMatch(/N=65536/);
  });

  it('a salt unlike the one Chronokey last wrote here', async () => {
    const { deps, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: false, password: 'the password' });
    await editKdf(dir, (slot) => (slot.salt = Buffer.alloc(16, 7).toString('base64')));
    await expectCode(openVault(deps, { password: 'the password' }), 'VAULT_CORRUPT');
  });

  it('a plain wrong password is still a wrong password', async () => {
    const { deps } = memoryDeps(root);
    await createVault(deps, { useKeychain: false, password: 'the password' });
    await expectCode(openVault(deps, { password: 'not the password' }), 'VAULT_WRONG_PASSWORD');
  });
});
