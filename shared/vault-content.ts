import { z } from 'zod';
import { Account, DEFAULT_SETTINGS, StoredBackupKey, StoredSettings } from './domain';
import { MAX_FOLLOWS, StoredFollow } from './follow-state';
import { StoredSync } from './sync-state';

/** Everything the vault encrypts. Account order in the array is the user's manual order. */
export const VaultContent = z.object({
  accounts: z.array(Account),
  settings: StoredSettings,
  backupKey: StoredBackupKey.optional(),
  /** Set while this device syncs through a folder (docs/sync-format.md). */
  sync: StoredSync.optional(),
  /** Folders of another app's automatic backups that this vault keeps up with. */
  follows: z.array(StoredFollow).max(MAX_FOLLOWS).optional(),
});
export type VaultContent = z.infer<typeof VaultContent>;

export function emptyVaultContent(): VaultContent {
  return { accounts: [], settings: { ...DEFAULT_SETTINGS } };
}
