import { ChronokeyError } from '../../../shared/errors';
import { describeFsError } from '../vault/vault-errors';

/** Every error sync can show a person, each with its stable code. */
export const syncErrors = {
  notSetUp: () => new ChronokeyError('SYNC_NOT_SET_UP', 'Sync is not set up on this device.'),
  alreadySetUp: () =>
    new ChronokeyError(
      'SYNC_ALREADY_SET_UP',
      'This device already syncs. Stop syncing on it first to use another folder.',
    ),
  folderNotChosen: () =>
    new ChronokeyError('SYNC_FOLDER_NOT_CHOSEN', 'Choose the sync folder first.'),
  folderInUse: (root: string) =>
    new ChronokeyError(
      'SYNC_FOLDER_IN_USE',
      `${root} already holds Chronokey sync. Choose "Join sync in a folder" to use it.`,
    ),
  folderMissing: (root: string) =>
    new ChronokeyError(
      'SYNC_FOLDER_MISSING',
      `There is no Chronokey sync in ${root}. Is the folder still there, and has your sync app finished bringing it?`,
    ),
  folderUnreadable: (root: string, cause: unknown) =>
    new ChronokeyError(
      'SYNC_FOLDER_UNREADABLE',
      `Chronokey cannot use the sync folder ${root}: ${describeFsError(cause)}. It will try again; your accounts on this device are unchanged.`,
      { cause },
    ),
  folderUnwritable: (root: string, cause: unknown) =>
    new ChronokeyError(
      'SYNC_FOLDER_UNWRITABLE',
      `Chronokey cannot write to the sync folder ${root}: ${describeFsError(cause)}. It will try again; your accounts on this device are unchanged.`,
      { cause },
    ),
  folderReplaced: () =>
    new ChronokeyError(
      'SYNC_FOLDER_REPLACED',
      'The sync folder now holds a different sync than the one this device joined. Stop syncing on this device, then join the folder again.',
    ),
  syncFileDamaged: (path: string) =>
    new ChronokeyError('SYNC_FILE_DAMAGED', `${path} is damaged, so sync cannot run.`),
  syncFileNewer: () =>
    new ChronokeyError(
      'SYNC_FILE_NEWER',
      'A newer version of Chronokey set up this sync folder. Update Chronokey to use it.',
    ),
  wrongPassword: () =>
    new ChronokeyError('SYNC_WRONG_PASSWORD', 'That sync password does not open this sync folder.'),
  keyChanged: () =>
    new ChronokeyError(
      'SYNC_KEY_CHANGED',
      'A device was removed from sync, so the sync key was replaced. Type the sync password to keep syncing.',
    ),
  passwordUnchanged: () =>
    new ChronokeyError(
      'SYNC_PASSWORD_UNCHANGED',
      'Choose a new sync password: the removed device may know the old one.',
    ),
  unknownDevice: () =>
    new ChronokeyError('SYNC_UNKNOWN_DEVICE', 'That device is not in this sync folder.'),
  notThisDevice: () =>
    new ChronokeyError(
      'SYNC_REMOVE_THIS_DEVICE',
      'This is the device you are using. To stop it syncing, choose "Stop syncing on this device".',
    ),
  removalsPending: (count: number, total: number) =>
    new ChronokeyError(
      'SYNC_REMOVALS_PENDING',
      `This sync would remove ${count} of your ${total} accounts, removed on other devices. Nothing was changed.`,
    ),
  nothingPending: () =>
    new ChronokeyError('SYNC_NOTHING_PENDING', 'There are no removals waiting to be confirmed.'),
};
