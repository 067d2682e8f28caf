import { join } from 'node:path';
import type { StoredSync } from '../../../shared/sync-state';
import { KEY_BYTES } from '../vault/aead';
import { errnoCode } from '../vault/vault-errors';
import { formatStamp } from './hlc';
import { emptyState } from './replica-state';
import { syncErrors } from './sync-errors';
import {
  holdsSync,
  readSyncFile,
  replicaName,
  syncPaths,
  unwrapSyncKey,
  wrapSyncKey,
  writeSyncFile,
  type SyncFile,
} from './sync-folder';
import type { SyncPassDeps } from './sync-pass';

/**
 * Setting sync up, joining, changing the sync password, removing a device for good, taking a
 * replaced key, and stopping. Each changes the folder's `sync.json` and/or the vault's `sync`;
 * the caller runs a pass afterwards.
 */

export type SyncAdminDeps = SyncPassDeps;

export interface DeviceChoice {
  /** The folder the person picked (it holds, or will hold, `Chronokey Sync/`). */
  folder: string;
  password: string;
  deviceName: string;
}

function newStoredSync(
  choice: { folder: string; deviceName: string },
  file: SyncFile,
  key: Buffer,
  deviceId: string,
): StoredSync {
  return {
    folder: choice.folder,
    folderId: file.folderId,
    keyId: file.keyId,
    key: key.toString('base64'),
    deviceId,
    deviceName: choice.deviceName.trim(),
    sequence: 0,
    stateHash: '',
    clock: formatStamp(0, 0, deviceId),
    lastPassAt: null,
    devices: {},
    state: emptyState(deviceId),
  };
}

/** This device's sync, with a new device id, in the vault. */
async function saveNewSync(
  deps: SyncAdminDeps,
  choice: DeviceChoice,
  file: SyncFile,
  key: Buffer,
): Promise<void> {
  const deviceId = deps.random(16).toString('hex');
  await deps.vault.update((draft) => {
    if (draft.sync) throw syncErrors.alreadySetUp();
    draft.sync = newStoredSync(choice, file, key, deviceId);
  });
}

/** Makes `Chronokey Sync/` in the picked folder with a new sync key, and this device's sync. */
export async function setUpSync(deps: SyncAdminDeps, choice: DeviceChoice): Promise<void> {
  if ((await deps.vault.content()).sync) throw syncErrors.alreadySetUp();
  const paths = syncPaths(choice.folder);
  if (await holdsSync(deps.fs, paths)) throw syncErrors.folderInUse(paths.root);
  const key = deps.random(KEY_BYTES);
  try {
    const file = await wrapSyncKey(
      key,
      {
        folderId: deps.random(16).toString('hex'),
        keyId: deps.random(8).toString('hex'),
        createdAt: deps.clock.now(),
      },
      choice.password,
      deps.random,
    );
    await writeSyncFile(deps.fs, paths, file, deps.random);
    await saveNewSync(deps, choice, file, key);
  } finally {
    key.fill(0);
  }
}

/** Joins the sync in the picked folder with its sync password (a wrong one changes nothing). */
export async function joinSync(deps: SyncAdminDeps, choice: DeviceChoice): Promise<void> {
  if ((await deps.vault.content()).sync) throw syncErrors.alreadySetUp();
  const file = await readSyncFile(deps.fs, syncPaths(choice.folder));
  const key = await unwrapSyncKey(file, choice.password);
  if (!key) throw syncErrors.wrongPassword();
  try {
    await saveNewSync(deps, choice, file, key);
  } finally {
    key.fill(0);
  }
}

async function currentFile(deps: SyncAdminDeps): Promise<{ sync: StoredSync; file: SyncFile }> {
  const sync = (await deps.vault.content()).sync;
  if (!sync) throw syncErrors.notSetUp();
  const file = await readSyncFile(deps.fs, syncPaths(sync.folder));
  if (file.folderId !== sync.folderId) throw syncErrors.folderReplaced();
  if (file.keyId !== sync.keyId) throw syncErrors.keyChanged();
  return { sync, file };
}

/** Wraps the same sync key with a new password; other devices keep syncing unasked. */
export async function changeSyncPassword(deps: SyncAdminDeps, password: string): Promise<void> {
  const { sync, file } = await currentFile(deps);
  const key = Buffer.from(sync.key, 'base64');
  try {
    const rewrapped = await wrapSyncKey(key, file, password, deps.random);
    await writeSyncFile(deps.fs, syncPaths(sync.folder), rewrapped, deps.random);
  } finally {
    key.fill(0);
  }
}

/**
 * Removes another device for good: a new sync key (new key id) wrapped by a new password, its
 * replica deleted. Every remaining device asks for the new password; the removed one can read
 * nothing written from now on.
 */
export async function removeDevice(
  deps: SyncAdminDeps,
  input: { deviceId: string; password: string },
): Promise<void> {
  const { sync, file } = await currentFile(deps);
  if (input.deviceId === sync.deviceId) throw syncErrors.notThisDevice();
  const paths = syncPaths(sync.folder);
  const replica = join(paths.devices, replicaName(input.deviceId));
  if (!(input.deviceId in sync.devices) && !(await exists(deps, replica))) {
    throw syncErrors.unknownDevice();
  }
  const old = await unwrapSyncKey(file, input.password);
  if (old) {
    old.fill(0);
    throw syncErrors.passwordUnchanged();
  }
  const key = deps.random(KEY_BYTES);
  try {
    const replaced = await wrapSyncKey(
      key,
      { folderId: file.folderId, keyId: deps.random(8).toString('hex'), createdAt: file.createdAt },
      input.password,
      deps.random,
    );
    // The folder first: should the vault write fail, this device asks for the new password
    // like every other one, and nothing is lost.
    await writeSyncFile(deps.fs, paths, replaced, deps.random);
    await deps.vault.update((draft) => {
      if (!draft.sync) throw syncErrors.notSetUp();
      const { [input.deviceId]: _removed, ...devices } = draft.sync.devices;
      draft.sync = { ...draft.sync, keyId: replaced.keyId, key: key.toString('base64'), devices };
    });
    await deps.fs.unlink(replica).catch(() => undefined);
  } finally {
    key.fill(0);
  }
}

/** After another device replaced the sync key: the (new) sync password opens it here too. */
export async function takeNewKey(deps: SyncAdminDeps, password: string): Promise<void> {
  const sync = (await deps.vault.content()).sync;
  if (!sync) throw syncErrors.notSetUp();
  const file = await readSyncFile(deps.fs, syncPaths(sync.folder));
  if (file.folderId !== sync.folderId) throw syncErrors.folderReplaced();
  const key = await unwrapSyncKey(file, password);
  if (!key) throw syncErrors.wrongPassword();
  try {
    await deps.vault.update((draft) => {
      if (!draft.sync) throw syncErrors.notSetUp();
      draft.sync = { ...draft.sync, keyId: file.keyId, key: key.toString('base64') };
    });
  } finally {
    key.fill(0);
  }
}

/** Stops syncing here: the accounts stay, this device's replica leaves the folder. */
export async function leaveSync(deps: SyncAdminDeps): Promise<void> {
  const sync = (await deps.vault.content()).sync;
  if (!sync) throw syncErrors.notSetUp();
  await deps.vault.update((draft) => {
    delete draft.sync;
  });
  const replica = join(syncPaths(sync.folder).devices, replicaName(sync.deviceId));
  await deps.fs.unlink(replica).catch(() => undefined);
}

async function exists(deps: SyncAdminDeps, path: string): Promise<boolean> {
  try {
    await deps.fs.stat(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}
