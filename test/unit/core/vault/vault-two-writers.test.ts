import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarKeychain } from '../../../../main/core/vault/keychain';
import {
  createVault,
  destroyKeychainEntry,
  openVault,
  type VaultDeps,
} from '../../../../main/core/vault/vault';
import { startWriter } from './helpers/child';
import { contentWith, removeRoot, tempRoot } from './helpers/fixtures';

let root: string;
let deps: VaultDeps;
beforeAll(async () => {
  root = await tempRoot();
  deps = { dir: `${root}/vault`, keychain: createKeytarKeychain() };
  await createVault(deps, { useKeychain: true, content: contentWith(20, 'existing-') });
});
afterAll(async () => {
  await destroyKeychainEntry(deps).catch(() => false);
  await removeRoot(root);
});

describe('two writers', () => {
  it('two processes adding 50 accounts each at the same time lose nothing', async () => {
    const writers = ['left', 'right'].map((prefix) =>
      startWriter(['add-accounts', deps.dir, prefix, '50']),
    );
    await Promise.all(writers.map((writer) => writer.ready));
    for (const writer of writers) writer.go();
    const results = await Promise.all(writers.map((writer) => writer.done));
    results.forEach((result, i) => expect(result.code, writers[i]?.stderr()).toBe(0));

    const ids = (await openVault(deps)).content.accounts.map((account) => account.id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    for (const prefix of ['left', 'right']) {
      const mine = ids.filter((id) => id.startsWith(`${prefix}-`));
      // All 50, in the order that writer added them.
      expect(mine).toEqual(Array.from({ length: 50 }, (_, i) => `${prefix}-${i}`));
    }
  }, 60_000);
});
