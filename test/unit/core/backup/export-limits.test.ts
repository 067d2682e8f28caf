import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACCOUNTS } from '../../../../shared/domain';
import { exportAccounts, type ExportFormat } from '../../../../main/core/backup/export';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import { createVault } from '../../../../main/core/vault/vault';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';
import { expectCode } from '../vault/helpers/deps';
import { sampleAccounts } from './backup-fixtures';

/**
 * A vault holds at most MAX_ACCOUNTS accounts, and every export works for a vault at that limit
 * (automatic backups included: they are Chronokey exports). One account more cannot be added.
 */
let dir: string;
const full = sampleAccounts(MAX_ACCOUNTS, 'limit');

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'chronokey-export-limit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`a vault at the limit of ${MAX_ACCOUNTS.toLocaleString('en')} accounts`, () => {
  it.each<ExportFormat>(['chronokey', 'aegis', 'otpauth'])(
    'exports every account as %s, verified',
    async (format) => {
      const result = await exportAccounts(
        { fs: nodeVaultFs, now: () => 1_733_000_000_000 },
        full,
        format,
        join(dir, `full.${format}`),
        { password: 'a long export passphrase for the limit' },
      );
      expect(result).toMatchObject({ verified: true, accounts: MAX_ACCOUNTS });
    },
    120_000,
  );

  it('takes no account more, and says so', async () => {
    const vault = await createVault(
      { dir: join(dir, 'vault'), keychain: createMemoryKeychain() },
      { useKeychain: true, content: { accounts: full, settings: sampleSettings() } },
    );
    const error = await expectCode(
      vault.update((draft) => void draft.accounts.push({ ...full[0]!, id: 'one-more' })),
      'VAULT_FULL',
    );
    expect(error.message).toMatch(/at most 100,000 accounts/);
    // Changes that do not add accounts still work.
    await vault.update((draft) => void (draft.accounts[0]!.favourite = true));
  }, 120_000);
});

function sampleSettings() {
  return {
    autoLockMinutes: 5,
    clipboardClearSeconds: 30,
    theme: 'system' as const,
    privacyMode: false,
    showNextCode: true,
    sortOrder: 'manual' as const,
    launchAtLogin: false,
    contentProtection: true,
    globalShortcut: 'CmdOrCtrl+Shift+K',
    autoBackup: { schedule: 'off' as const, folder: null, keep: 10 },
  };
}
