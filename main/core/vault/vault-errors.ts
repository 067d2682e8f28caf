import { join } from 'node:path';
import { MAX_ACCOUNTS } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { LOCK_FILE } from './vault-fs';

/**
 * Every error the vault can show a user, in one place so the wording stays plain and
 * consistent: what went wrong, then what the user can do about it.
 */

const LINUX_KEYCHAIN_HINT =
  process.platform === 'linux' || process.platform === 'freebsd'
    ? ' On Linux the system keychain is gnome-keyring or KWallet, reached through the Secret Service; make sure one of them is running and unlocked.'
    : '';

function prevHint(prevExists: boolean): string {
  return prevExists
    ? ' The previous version of the vault, vault.ckv.prev, is still in the folder and may be restorable: close Chronokey, keep a copy of both files, and rename vault.ckv.prev to vault.ckv.'
    : ' Restore the vault from a backup.';
}

export const vaultErrors = {
  keychainUnavailableAtCreate: (cause?: unknown) =>
    new ChronokeyError(
      'KEYCHAIN_UNAVAILABLE',
      `A password is needed because no system keychain could be reached to hold the vault key.${LINUX_KEYCHAIN_HINT} Otherwise create the vault with a password.`,
      { cause },
    ),
  keychainUnavailableWithPassword: (cause?: unknown) =>
    new ChronokeyError(
      'KEYCHAIN_UNAVAILABLE',
      `No system keychain could be reached, so the vault cannot use it.${LINUX_KEYCHAIN_HINT} Otherwise use the password alone.`,
      { cause },
    ),
  keychainUnavailableAtUnlock: (hasPassword: boolean, cause?: unknown) =>
    new ChronokeyError(
      'KEYCHAIN_UNAVAILABLE',
      `No system keychain could be reached, so the vault cannot be unlocked with it.${LINUX_KEYCHAIN_HINT}` +
        (hasPassword ? ' You can also unlock the vault with its password.' : ''),
      { cause },
    ),
  keychainEntryMissing: (hasPassword: boolean) =>
    new ChronokeyError(
      'VAULT_KEYCHAIN_ENTRY_MISSING',
      'The key for this vault is missing from the system keychain.' +
        (hasPassword
          ? ' Unlock the vault with its password instead.'
          : ' The vault has no password, so restore the keychain entry or the vault from a backup.'),
    ),
  keychainEntryWrong: (hasPassword: boolean) =>
    new ChronokeyError(
      'VAULT_KEYCHAIN_ENTRY_INVALID',
      'The key stored in the system keychain for this vault does not open it.' +
        (hasPassword
          ? ' Unlock the vault with its password instead.'
          : ' Restore the keychain entry or the vault from a backup.'),
    ),
  keychainNotWorkingKeepPassword: (code: string, cause?: unknown) =>
    new ChronokeyError(
      code,
      (code === 'KEYCHAIN_UNAVAILABLE'
        ? 'No system keychain could be reached'
        : 'The system keychain does not hold a working key for this vault') +
        ', so the password was kept: without it the vault could not be unlocked. Make sure the keychain works (turn it off and on again in Chronokey to store a new key), then remove the password.',
      { cause },
    ),
  keychainNeededForNewKey: (code: string, cause?: unknown) =>
    new ChronokeyError(
      code,
      (code === 'KEYCHAIN_UNAVAILABLE'
        ? 'No system keychain could be reached'
        : 'The system keychain does not hold a working key for this vault') +
        ', and the change gives the vault a new key that the keychain must unlock too, so nothing was changed. Try again when the keychain works, or turn the keychain off in Chronokey first.',
      { cause },
    ),
  kdfSettingsChanged: (dir: string, detail: string, prevExists: boolean) =>
    new ChronokeyError(
      'VAULT_CORRUPT',
      `The password did not open the vault in ${dir}, and its password settings (${detail}) were changed or damaged, or this is an older copy of the vault from when it had another password. Chronokey did not change it. If you are sure of the password, restore an earlier copy.${prevHint(prevExists)}`,
    ),
  wrongPassword: () =>
    new ChronokeyError(
      'VAULT_WRONG_PASSWORD',
      'The password does not open this vault. Check it and try again.',
    ),
  passwordRequired: () =>
    new ChronokeyError(
      'VAULT_PASSWORD_REQUIRED',
      'This vault is protected by a password. Enter the password to unlock it.',
    ),
  passwordNeededForNewVault: () =>
    new ChronokeyError(
      'VAULT_PASSWORD_REQUIRED',
      'A new vault needs a password, the system keychain, or both. Choose a password or use the keychain.',
    ),
  passwordEmpty: () =>
    new ChronokeyError(
      'VAULT_PASSWORD_EMPTY',
      'The password is empty. Choose a password with at least one character.',
    ),
  noPasswordSlot: () =>
    new ChronokeyError(
      'VAULT_NO_PASSWORD',
      'This vault has no password; it is unlocked with the system keychain. Open it without a password.',
    ),
  lastSlot: (what: 'password' | 'keychain') =>
    new ChronokeyError(
      'VAULT_LAST_KEY',
      what === 'password'
        ? 'The password is the only way to unlock this vault, so it cannot be removed. Turn on the system keychain first.'
        : 'The system keychain is the only way to unlock this vault, so it cannot be turned off. Set a password first.',
    ),
  corrupt: (dir: string, detail: string, prevExists: boolean, cause?: unknown) =>
    new ChronokeyError(
      'VAULT_CORRUPT',
      `The vault file in ${dir} is damaged (${detail}), so Chronokey did not open or change it.${prevHint(prevExists)}`,
      { cause },
    ),
  newerVersion: (dir: string, version: number) =>
    new ChronokeyError(
      'VAULT_VERSION_UNSUPPORTED',
      `The vault in ${dir} was made by a newer Chronokey (format version ${version}). Update Chronokey to open it.`,
    ),
  notFound: (dir: string, prevExists: boolean) =>
    new ChronokeyError(
      'VAULT_NOT_FOUND',
      `There is no vault in ${dir}.` +
        (prevExists
          ? ' Only its previous version, vault.ckv.prev, is there: rename it to vault.ckv to restore it.'
          : ' Run `chronokey init` or open the app to create one.'),
    ),
  exists: (dir: string) =>
    new ChronokeyError(
      'VAULT_EXISTS',
      `A vault already exists in ${dir}, so a new one was not created. Open it, or choose another folder.`,
    ),
  prevOnlyExists: (dir: string) =>
    new ChronokeyError(
      'VAULT_EXISTS',
      `The folder ${dir} still holds a previous vault version, vault.ckv.prev, so a new vault was not created. Rename it to vault.ckv to restore it, or move it away first.`,
    ),
  unreadable: (dir: string, reason: string, cause?: unknown) =>
    new ChronokeyError(
      'VAULT_UNREADABLE',
      `Chronokey cannot read the vault folder ${dir} (${reason}). Check that it is a folder you are allowed to read.`,
      { cause },
    ),
  unwritable: (dir: string, reason: string, cause?: unknown) =>
    new ChronokeyError(
      'VAULT_UNWRITABLE',
      `Chronokey could not save the vault in ${dir} (${reason}). Nothing was changed; check free space and permissions and try again.`,
      { cause },
    ),
  busy: (dir: string, holder?: string) =>
    new ChronokeyError(
      'VAULT_BUSY',
      `Another Chronokey window or command is changing the vault in ${dir}${holder ? ` (${holder})` : ''}. Try again in a moment. If no Chronokey is running anywhere, delete the lock file ${join(dir, LOCK_FILE)} and try again.`,
    ),
  replaced: (dir: string) =>
    new ChronokeyError(
      'VAULT_REPLACED',
      `The vault in ${dir} was replaced by a different vault while Chronokey had it open. Nothing was saved; unlock it again.`,
    ),
  locked: () =>
    new ChronokeyError('VAULT_LOCKED', 'The vault is locked. Unlock it to see your accounts.'),
  full: (holds: number, adding: number) =>
    new ChronokeyError(
      'VAULT_FULL',
      `A vault holds at most ${MAX_ACCOUNTS.toLocaleString('en')} accounts; this one has ${holds.toLocaleString('en')}, so the ${adding.toLocaleString('en')} more were not added. Nothing was changed.`,
    ),
  invalidChange: (cause?: unknown) =>
    new ChronokeyError(
      'VAULT_CONTENT_INVALID',
      'This change would make the vault invalid, so it was not saved.',
      { cause },
    ),
};

/** A short, human reason for a file-system error code, for the messages above. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a file is in the way where a folder should be';
    case 'EISDIR':
      return 'a folder is in the way where the vault file should be';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'ENOENT':
      return 'the folder does not exist';
    case 'ENOTREGULAR':
      return 'it is not a regular file (a device, pipe or link to one)';
    case 'EFBIG':
      return 'the file is far larger than any vault';
    default:
      return code ? `system error ${code}` : 'unexpected error';
  }
}

export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
