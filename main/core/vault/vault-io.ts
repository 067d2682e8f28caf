import { randomBytes } from 'node:crypto';
import { VaultContent } from '../../../shared/vault-content';
import { ChronokeyError } from '../../../shared/errors';
import { NONCE_BYTES, open, seal } from './aead';
import { removeLeftoverTempFiles, replaceVaultFile } from './atomic-write';
import type { KeychainPort } from './keychain';
import { keychainAccount, type RandomBytes } from './key-slots';
import { describeFsError, errnoCode, vaultErrors } from './vault-errors';
import { nodeVaultFs, vaultPaths, type VaultFs } from './vault-fs';
import {
  VaultFileError,
  assembleFile,
  encodePrefix,
  parseVaultFile,
  type KeySlot,
  type ParsedVaultFile,
  type SlotType,
  type VaultHeader,
} from './vault-file';
import { VaultBusyError, acquireVaultLock, type VaultLock } from './vault-lock';
import { nextVaultState, readVaultState, writeVaultState, type VaultState } from './vault-state';

/**
 * The steps every vault operation is built from: read and explain, decrypt and validate,
 * encrypt, and write under the lock. Shared by vault.ts (create/open) and unlocked-vault.ts.
 */

/** What the vault needs from the outside world; everything but `dir` and `keychain` has a default. */
export interface VaultDeps {
  /** The folder holding vault.ckv, vault.ckv.prev and vault.lock. */
  dir: string;
  keychain: KeychainPort;
  fs?: VaultFs;
  random?: RandomBytes;
  now?: () => number;
  lock?: { timeoutMs?: number; staleAfterMs?: number };
}

export interface Resolved {
  dir: string;
  keychain: KeychainPort;
  fs: VaultFs;
  random: RandomBytes;
  now: () => number;
  lock: { timeoutMs?: number; staleAfterMs?: number };
}

export function resolve(deps: VaultDeps): Resolved {
  return {
    dir: deps.dir,
    keychain: deps.keychain,
    fs: deps.fs ?? nodeVaultFs,
    random: deps.random ?? ((size) => randomBytes(size)),
    now: deps.now ?? Date.now,
    lock: deps.lock ?? {},
  };
}

export async function exists(d: Resolved, path: string): Promise<boolean> {
  try {
    await d.fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads vault.ckv, turning every way that can fail into an error that names the folder. */
export async function readVaultBytes(d: Resolved): Promise<Buffer> {
  const paths = vaultPaths(d.dir);
  try {
    return await d.fs.readFile(paths.vault);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT')
      throw vaultErrors.unreadable(d.dir, describeFsError(error), error);
  }
  // vault.ckv is missing: is the folder itself there and a folder?
  try {
    const stat = await d.fs.stat(d.dir);
    if (!stat.isDirectory()) {
      throw vaultErrors.unreadable(d.dir, describeFsError({ code: 'ENOTDIR' }));
    }
  } catch (error) {
    if (error instanceof ChronokeyError) throw error;
    if (errnoCode(error) === 'ENOENT') throw vaultErrors.notFound(d.dir, false);
    throw vaultErrors.unreadable(d.dir, describeFsError(error), error);
  }
  throw vaultErrors.notFound(d.dir, await exists(d, paths.prev));
}

export async function parseOrExplain(d: Resolved, bytes: Buffer): Promise<ParsedVaultFile> {
  try {
    return parseVaultFile(bytes);
  } catch (error) {
    if (!(error instanceof VaultFileError)) throw error;
    if (error.kind === 'newer-version') throw vaultErrors.newerVersion(d.dir, error.version ?? 0);
    throw await corrupt(d, error.message, error);
  }
}

export async function corrupt(
  d: Resolved,
  detail: string,
  cause?: unknown,
): Promise<ChronokeyError> {
  return vaultErrors.corrupt(d.dir, detail, await exists(d, vaultPaths(d.dir).prev), cause);
}

export async function decryptContent(
  d: Resolved,
  file: ParsedVaultFile,
  dataKey: Buffer,
): Promise<VaultContent> {
  // The key came from a slot that authenticated, so a failure here is damage, not a wrong key.
  const plaintext = open(dataKey, file.nonce, file.sealed, file.prefix);
  if (!plaintext) throw await corrupt(d, 'its encrypted contents fail their integrity check');
  let json: unknown;
  try {
    json = JSON.parse(plaintext.toString('utf8'));
  } catch (error) {
    throw await corrupt(d, 'its contents are not readable', error);
  } finally {
    plaintext.fill(0);
  }
  const parsed = VaultContent.safeParse(json);
  if (!parsed.success) throw await corrupt(d, 'its contents are not a valid vault', parsed.error);
  return parsed.data;
}

export function encryptFile(
  d: Resolved,
  header: VaultHeader,
  content: VaultContent,
  dataKey: Buffer,
): Buffer {
  const prefix = encodePrefix(header);
  const nonce = d.random(NONCE_BYTES);
  const plaintext = Buffer.from(JSON.stringify(content), 'utf8');
  const sealed = seal(dataKey, nonce, plaintext, prefix);
  plaintext.fill(0);
  return assembleFile(prefix, nonce, sealed);
}

export function slotOf<T extends SlotType>(
  header: VaultHeader,
  type: T,
): Extract<KeySlot, { type: T }> | undefined {
  return header.slots.find((slot): slot is Extract<KeySlot, { type: T }> => slot.type === type);
}

export async function withLock<T>(d: Resolved, run: (lock: VaultLock) => Promise<T>): Promise<T> {
  let lock: VaultLock;
  try {
    lock = await acquireVaultLock({
      fs: d.fs,
      dir: d.dir,
      random: d.random,
      now: d.now,
      ...d.lock,
    });
  } catch (error) {
    if (error instanceof VaultBusyError) throw vaultErrors.busy(d.dir, error.holder);
    if (errnoCode(error) === 'ENOENT') throw vaultErrors.notFound(d.dir, false);
    throw vaultErrors.unwritable(d.dir, describeFsError(error), error);
  }
  try {
    return await run(lock);
  } finally {
    await lock.release();
  }
}

export async function writeUnderLock(d: Resolved, lock: VaultLock, bytes: Buffer): Promise<void> {
  try {
    await removeLeftoverTempFiles(d.fs, d.dir);
    // Our lock could only have gone if a waiter judged it abandoned; then do not risk a lost update.
    if (!(await lock.stillHeld())) throw vaultErrors.busy(d.dir);
    await replaceVaultFile(d.fs, d.dir, bytes, d.random);
  } catch (error) {
    if (error instanceof ChronokeyError) throw error;
    throw vaultErrors.unwritable(d.dir, describeFsError(error), error);
  }
}

/**
 * Writes `content` as the next generation of the vault (one more than any generation in the file
 * or seen here) and then records it in vault.state. Returns the header written. Callers hold
 * the lock.
 */
export async function writeNextGeneration(
  d: Resolved,
  lock: VaultLock,
  header: VaultHeader,
  content: VaultContent,
  dataKey: Buffer,
  seenGeneration = 0,
): Promise<{ header: VaultHeader; state: VaultState }> {
  const previous = await readVaultState(d.fs, d.dir, header.vaultId);
  const generation = Math.max(header.generation, previous?.generation ?? 0, seenGeneration) + 1;
  const next: VaultHeader = { ...header, generation };
  await writeUnderLock(d, lock, encryptFile(d, next, content, dataKey));
  // After the rename: a crash before this line leaves the state one behind, which is harmless.
  const state = nextVaultState(previous, next, content);
  await writeVaultState(d.fs, d.dir, state, d.random);
  return { header: next, state };
}

export function freezeContent(content: VaultContent): VaultContent {
  for (const account of content.accounts) {
    Object.freeze(account.tags);
    for (const warning of account.warnings) Object.freeze(warning);
    Object.freeze(account.warnings);
    Object.freeze(account);
  }
  Object.freeze(content.accounts);
  Object.freeze(content.settings);
  return Object.freeze(content);
}

export async function storeKeychainSecret(
  d: Resolved,
  vaultId: string,
  secret: string,
  explain: (cause: unknown) => ChronokeyError,
): Promise<void> {
  try {
    await d.keychain.set(keychainAccount(vaultId), secret);
  } catch (error) {
    throw explain(error);
  }
}
