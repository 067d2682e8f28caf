import { ChronokeyError, isChronokeyError } from '../../../../shared/errors';
import { decryptBackup, looksLikeBackup } from '../../backup/backup-format';
import type { ImportFormat, ImportedEntry } from '../types';

/**
 * Chronokey's own encrypted backup (docs/backup-format.md), read as an import source so a
 * restore shows the same preview as any import. Entries keep every field of the account they
 * were; `restore` carries the id and times the vault had, for a faithful restore.
 */
export const chronokeyBackupFormat: ImportFormat = {
  id: 'chronokey-backup',
  label: 'Chronokey backup (encrypted)',
  detect: (input) => looksLikeBackup(input.bytes),
  isEncrypted: () => true,
  async decode(input, options) {
    if (options.password === undefined) {
      throw new ChronokeyError(
        'IMPORT_PASSWORD_REQUIRED',
        `"${input.name}" is an encrypted Chronokey backup: type the password it was made with.`,
      );
    }
    let payload;
    try {
      payload = await decryptBackup(input.bytes, options.password, input.name);
    } catch (error) {
      if (isChronokeyError(error) && error.code === 'BACKUP_WRONG_PASSWORD') {
        throw new ChronokeyError('IMPORT_WRONG_PASSWORD', error.message);
      }
      throw error;
    }
    const entries: ImportedEntry[] = payload.accounts.map((account) => ({
      params: {
        type: account.type,
        issuer: account.issuer,
        account: account.account,
        secret: account.secret,
        algorithm: account.algorithm,
        digits: account.digits,
        period: account.period,
        counter: account.counter,
      },
      tags: [...account.tags],
      favourite: account.favourite,
      defaulted: [],
      warnings: account.warnings.map((warning) => ({ ...warning })),
      restore: { id: account.id, createdAt: account.createdAt, lastUsedAt: account.lastUsedAt },
    }));
    return {
      format: 'chronokey-backup',
      label: 'Chronokey backup (encrypted)',
      entries,
      skipped: [],
    };
  },
};
