import { dirname } from 'node:path';
import { VaultContent, emptyVaultContent } from '../../../shared/vault-content';
import { ChronokeyError } from '../../../shared/errors';
import { KEY_BYTES } from './aead';
import {
  createKeychainSlot,
  createPasswordSlot,
  keychainAccount,
  unwrapKeychainSlot,
  unwrapPasswordSlot,
} from './key-slots';
import { VaultHandle, type UnlockedVault } from './unlocked-vault';
import { describeFsError, vaultErrors } from './vault-errors';
import {
  FORMAT_VERSION,
  SCRYPT_MIN,
  type KeySlot,
  type PasswordSlot,
  type SlotType,
  type VaultHeader,
} from './vault-file';
import {
  decryptContent,
  exists,
  parseOrExplain,
  readVaultBytes,
  resolve,
  slotOf,
  storeKeychainSecret,
  withLock,
  writeNextGeneration,
  type Resolved,
  type VaultDeps,
} from './vault-io';
import type { VaultLock } from './vault-lock';
import { vaultPaths } from './vault-fs';
import { kdfFingerprint, readVaultState, type VaultState } from './vault-state';

/** The vault's public API: inspect, create and open a vault folder. */

export type { SlotType } from './vault-file';
export type { RollbackNotice, UnlockedVault } from './unlocked-vault';
export type { VaultDeps } from './vault-io';

export interface VaultInfo {
  exists: boolean;
  slots: SlotType[];
  version?: number;
  vaultId?: string;
}

/** Reads the header only: whether a vault exists and how it can be unlocked. */
export async function inspectVault(deps: VaultDeps): Promise<VaultInfo> {
  const d = resolve(deps);
  let bytes: Buffer;
  try {
    bytes = await readVaultBytes(d);
  } catch (error) {
    if (error instanceof ChronokeyError && error.code === 'VAULT_NOT_FOUND') {
      return { exists: false, slots: [] };
    }
    throw error;
  }
  const { header } = await parseOrExplain(d, bytes);
  return {
    exists: true,
    slots: header.slots.map((slot) => slot.type),
    version: FORMAT_VERSION,
    vaultId: header.vaultId,
  };
}

export async function createVault(
  deps: VaultDeps,
  options: { password?: string | undefined; useKeychain: boolean; content?: VaultContent },
): Promise<UnlockedVault> {
  const d = resolve(deps);
  const { password, useKeychain } = options;
  if (password === '') throw vaultErrors.passwordEmpty();
  if (!useKeychain && password === undefined) throw vaultErrors.passwordNeededForNewVault();
  const checked = VaultContent.safeParse(options.content ?? emptyVaultContent());
  if (!checked.success) throw vaultErrors.invalidChange(checked.error);
  const content = checked.data;

  // Before anything is created: a refusal leaves no empty folder behind.
  if (useKeychain && !(await d.keychain.isAvailable())) {
    throw password === undefined
      ? vaultErrors.keychainUnavailableAtCreate()
      : vaultErrors.keychainUnavailableWithPassword();
  }
  let madeFolder: string | undefined;
  try {
    madeFolder = await d.fs.mkdir(d.dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw vaultErrors.unwritable(d.dir, describeFsError(error), error);
  }
  try {
    return await createInFolder(d, options, content);
  } catch (error) {
    if (madeFolder !== undefined) await removeEmptyFolders(d, madeFolder);
    throw error;
  }
}

/** Removes the folders this call made (innermost first), if they are still empty. */
async function removeEmptyFolders(d: Resolved, topmost: string): Promise<void> {
  for (let dir = d.dir; dir.startsWith(topmost); dir = dirname(dir)) {
    try {
      await d.fs.rmdir(dir);
    } catch {
      return; // not empty, or gone: leave it
    }
    if (dir === topmost) return;
  }
}

async function createInFolder(
  d: Resolved,
  options: { password?: string | undefined; useKeychain: boolean },
  content: VaultContent,
): Promise<UnlockedVault> {
  const { password, useKeychain } = options;
  await refuseExisting(d);
  const dataKey = d.random(KEY_BYTES);
  const vaultId = d.random(16).toString('hex');
  const slots: KeySlot[] = [];
  let keychainSecret: string | undefined;
  if (useKeychain) {
    const created = createKeychainSlot(dataKey, vaultId, d.random);
    slots.push(created.slot);
    keychainSecret = created.secret;
  }
  if (password !== undefined) {
    slots.push(await createPasswordSlot(dataKey, vaultId, password, d.random));
  }
  const draft: VaultHeader = { vaultId, createdAt: d.now(), slots, generation: 0 };

  let written: { header: VaultHeader; state: VaultState };
  try {
    written = await withLock(d, (lock) =>
      writeNewVault(d, lock, draft, content, dataKey, keychainSecret),
    );
  } catch (error) {
    dataKey.fill(0);
    throw error;
  }
  return new VaultHandle(d, dataKey, written.header, content, written.state);
}

/** Under the lock: checks again that the folder is free, stores the keychain key, writes. */
async function writeNewVault(
  d: Resolved,
  lock: VaultLock,
  header: VaultHeader,
  content: VaultContent,
  dataKey: Buffer,
  keychainSecret: string | undefined,
): Promise<{ header: VaultHeader; state: VaultState }> {
  const { vaultId } = header;
  const hasPassword = slotOf(header, 'password') !== undefined;
  await refuseExisting(d);
  if (keychainSecret !== undefined) {
    await storeKeychainSecret(d, vaultId, keychainSecret, (cause) =>
      hasPassword
        ? vaultErrors.keychainUnavailableWithPassword(cause)
        : vaultErrors.keychainUnavailableAtCreate(cause),
    );
  }
  try {
    return await writeNextGeneration(d, lock, header, content, dataKey);
  } catch (error) {
    // The vault was not created, so its key must not linger in the keychain.
    if (keychainSecret !== undefined) {
      await d.keychain.delete(keychainAccount(vaultId)).catch(() => undefined);
    }
    throw error;
  }
}

async function refuseExisting(d: Resolved): Promise<void> {
  const paths = vaultPaths(d.dir);
  if (await exists(d, paths.vault)) throw vaultErrors.exists(d.dir);
  if (await exists(d, paths.prev)) throw vaultErrors.prevOnlyExists(d.dir);
}

/** Unlocks with the password slot when a password is given, otherwise with the keychain. */
export async function openVault(
  deps: VaultDeps,
  options: { password?: string | undefined } = {},
): Promise<UnlockedVault> {
  const d = resolve(deps);
  const file = await parseOrExplain(d, await readVaultBytes(d));
  const { header } = file;
  const state = await readVaultState(d.fs, d.dir, header.vaultId);
  const dataKey =
    options.password !== undefined
      ? await unlockWithPassword(d, header, options.password, state)
      : await unlockWithKeychain(d, header);
  try {
    return new VaultHandle(d, dataKey, header, await decryptContent(d, file, dataKey), state);
  } catch (error) {
    dataKey.fill(0);
    throw error;
  }
}

async function unlockWithPassword(
  d: Resolved,
  header: VaultHeader,
  password: string,
  state: VaultState | null,
): Promise<Buffer> {
  const slot = slotOf(header, 'password');
  if (!slot) throw vaultErrors.noPasswordSlot();
  const dataKey = await unwrapPasswordSlot(slot, header.vaultId, password);
  if (dataKey) return dataKey;
  const changed = kdfSettingsLookChanged(slot, state);
  if (changed !== null) {
    throw vaultErrors.kdfSettingsChanged(d.dir, changed, await exists(d, vaultPaths(d.dir).prev));
  }
  throw vaultErrors.wrongPassword();
}

/**
 * A wrong password and an edited header (its checksum recomputed) look the same to the KDF.
 * They can be told apart when the slot's settings are not the ones Chronokey writes, or differ
 * from those recorded here the last time this vault was written: then say so, instead of
 * sending the person to retype a password that was right.
 */
function kdfSettingsLookChanged(slot: PasswordSlot, state: VaultState | null): string | null {
  const settings = `scrypt N=${slot.n}, r=${slot.r}, p=${slot.p}`;
  if (slot.n !== SCRYPT_MIN.n || slot.r !== SCRYPT_MIN.r || slot.p !== SCRYPT_MIN.p) {
    return `${settings}, not the N=${SCRYPT_MIN.n}, r=${SCRYPT_MIN.r}, p=${SCRYPT_MIN.p} Chronokey writes`;
  }
  if (state?.passwordKdf && state.passwordKdf !== kdfFingerprint(slot)) {
    return `${settings} with a salt unlike the one Chronokey last wrote here`;
  }
  return null;
}

async function unlockWithKeychain(d: Resolved, header: VaultHeader): Promise<Buffer> {
  const slot = slotOf(header, 'keychain');
  const hasPassword = slotOf(header, 'password') !== undefined;
  if (!slot) throw vaultErrors.passwordRequired();
  let secret: string | null;
  try {
    secret = await d.keychain.get(keychainAccount(header.vaultId));
  } catch (error) {
    throw vaultErrors.keychainUnavailableAtUnlock(hasPassword, error);
  }
  if (secret === null) throw vaultErrors.keychainEntryMissing(hasPassword);
  const dataKey = unwrapKeychainSlot(slot, header.vaultId, secret);
  if (!dataKey) throw vaultErrors.keychainEntryWrong(hasPassword);
  return dataKey;
}

/** Removes this vault's key from the keychain (tests, clean-up). True if there was one. */
export async function destroyKeychainEntry(deps: VaultDeps): Promise<boolean> {
  const info = await inspectVault(deps);
  if (!info.vaultId) return false;
  return deps.keychain.delete(keychainAccount(info.vaultId));
}
