import { randomBytes } from 'node:crypto';
import { VaultContent, emptyVaultContent } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { KEY_BYTES, NONCE_BYTES, open, seal } from './aead';
import { removeLeftoverTempFiles, replaceVaultFile } from './atomic-write';
import type { KeychainPort } from './keychain';
import {
  createKeychainSlot,
  createPasswordSlot,
  keychainAccount,
  unwrapKeychainSlot,
  unwrapPasswordSlot,
  type RandomBytes,
} from './key-slots';
import { describeFsError, errnoCode, vaultErrors } from './vault-errors';
import { nodeVaultFs, vaultPaths, type VaultFs } from './vault-fs';
import {
  FORMAT_VERSION,
  VaultFileError,
  assembleFile,
  encodePrefix,
  parseVaultFile,
  type KeySlot,
  type KeychainSlot,
  type ParsedVaultFile,
  type SlotType,
  type VaultHeader,
} from './vault-file';
import { VaultBusyError, acquireVaultLock, type VaultLock } from './vault-lock';

export type { SlotType } from './vault-file';

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

export interface VaultInfo {
  exists: boolean;
  slots: SlotType[];
  version?: number;
  vaultId?: string;
}

export interface UnlockedVault {
  /** The latest content this process knows (deeply frozen: change it through `update`). */
  readonly content: VaultContent;
  /** Re-reads the file, picking up changes made by another writer (the CLI, another window). */
  reload(): Promise<VaultContent>;
  /**
   * Under the vault lock: re-reads the file, lets `change` edit a fresh copy (synchronously),
   * validates and writes it. If `change` throws, nothing is written.
   */
  update<T>(change: (draft: VaultContent) => T): Promise<T>;
  setPassword(password: string): Promise<void>;
  removePassword(): Promise<void>;
  enableKeychain(): Promise<void>;
  disableKeychain(): Promise<void>;
  slots(): SlotType[];
  /** Forgets the data key (overwritten with zeros); the object is unusable afterwards. */
  close(): void;
}

interface Resolved {
  dir: string;
  keychain: KeychainPort;
  fs: VaultFs;
  random: RandomBytes;
  now: () => number;
  lock: { timeoutMs?: number; staleAfterMs?: number };
}

function resolve(deps: VaultDeps): Resolved {
  return {
    dir: deps.dir,
    keychain: deps.keychain,
    fs: deps.fs ?? nodeVaultFs,
    random: deps.random ?? ((size) => randomBytes(size)),
    now: deps.now ?? Date.now,
    lock: deps.lock ?? {},
  };
}

// ── reading ────────────────────────────────────────────────────────────────────────────────

async function exists(d: Resolved, path: string): Promise<boolean> {
  try {
    await d.fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads vault.ckv, turning every way that can fail into an error that names the folder. */
async function readVaultBytes(d: Resolved): Promise<Buffer> {
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

async function parseOrExplain(d: Resolved, bytes: Buffer): Promise<ParsedVaultFile> {
  try {
    return parseVaultFile(bytes);
  } catch (error) {
    if (!(error instanceof VaultFileError)) throw error;
    if (error.kind === 'newer-version') throw vaultErrors.newerVersion(d.dir, error.version ?? 0);
    throw await corrupt(d, error.message, error);
  }
}

async function corrupt(d: Resolved, detail: string, cause?: unknown): Promise<ChronokeyError> {
  return vaultErrors.corrupt(d.dir, detail, await exists(d, vaultPaths(d.dir).prev), cause);
}

async function decryptContent(
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

function encryptFile(
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

function slotOf<T extends SlotType>(
  header: VaultHeader,
  type: T,
): Extract<KeySlot, { type: T }> | undefined {
  return header.slots.find((slot): slot is Extract<KeySlot, { type: T }> => slot.type === type);
}

// ── writing ────────────────────────────────────────────────────────────────────────────────

async function withLock<T>(d: Resolved, run: (lock: VaultLock) => Promise<T>): Promise<T> {
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
    if (error instanceof VaultBusyError) throw vaultErrors.busy(d.dir);
    if (errnoCode(error) === 'ENOENT') throw vaultErrors.notFound(d.dir, false);
    throw vaultErrors.unwritable(d.dir, describeFsError(error), error);
  }
  try {
    return await run(lock);
  } finally {
    await lock.release();
  }
}

async function writeUnderLock(d: Resolved, lock: VaultLock, bytes: Buffer): Promise<void> {
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

function freezeContent(content: VaultContent): VaultContent {
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

// ── public API ─────────────────────────────────────────────────────────────────────────────

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

  try {
    await d.fs.mkdir(d.dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw vaultErrors.unwritable(d.dir, describeFsError(error), error);
  }
  await refuseExisting(d);
  if (useKeychain && !(await d.keychain.isAvailable())) {
    throw password === undefined
      ? vaultErrors.keychainUnavailableAtCreate()
      : vaultErrors.keychainUnavailableWithPassword();
  }

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
  const header: VaultHeader = { vaultId, createdAt: d.now(), slots };

  await withLock(d, async (lock) => {
    await refuseExisting(d);
    if (keychainSecret !== undefined) {
      await storeKeychainSecret(d, vaultId, keychainSecret, (cause) =>
        password === undefined
          ? vaultErrors.keychainUnavailableAtCreate(cause)
          : vaultErrors.keychainUnavailableWithPassword(cause),
      );
    }
    try {
      await writeUnderLock(d, lock, encryptFile(d, header, content, dataKey));
    } catch (error) {
      // The vault was not created, so its key must not linger in the keychain.
      if (keychainSecret !== undefined) {
        await d.keychain.delete(keychainAccount(vaultId)).catch(() => undefined);
      }
      throw error;
    }
  });
  return new VaultHandle(d, dataKey, header, content);
}

async function refuseExisting(d: Resolved): Promise<void> {
  const paths = vaultPaths(d.dir);
  if (await exists(d, paths.vault)) throw vaultErrors.exists(d.dir);
  if (await exists(d, paths.prev)) throw vaultErrors.prevOnlyExists(d.dir);
}

async function storeKeychainSecret(
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

/** Unlocks with the password slot when a password is given, otherwise with the keychain. */
export async function openVault(
  deps: VaultDeps,
  options: { password?: string | undefined } = {},
): Promise<UnlockedVault> {
  const d = resolve(deps);
  const file = await parseOrExplain(d, await readVaultBytes(d));
  const { header } = file;
  const dataKey =
    options.password !== undefined
      ? await unlockWithPassword(header, options.password)
      : await unlockWithKeychain(d, header);
  try {
    return new VaultHandle(d, dataKey, header, await decryptContent(d, file, dataKey));
  } catch (error) {
    dataKey.fill(0);
    throw error;
  }
}

async function unlockWithPassword(header: VaultHeader, password: string): Promise<Buffer> {
  const slot = slotOf(header, 'password');
  if (!slot) throw vaultErrors.noPasswordSlot();
  const dataKey = await unwrapPasswordSlot(slot, header.vaultId, password);
  if (!dataKey) throw vaultErrors.wrongPassword();
  return dataKey;
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

class VaultHandle implements UnlockedVault {
  readonly #d: Resolved;
  readonly #dataKey: Buffer;
  readonly #vaultId: string;
  #slots: SlotType[];
  #content: VaultContent | null;

  constructor(d: Resolved, dataKey: Buffer, header: VaultHeader, content: VaultContent) {
    this.#d = d;
    this.#dataKey = dataKey;
    this.#vaultId = header.vaultId;
    this.#slots = header.slots.map((slot) => slot.type);
    this.#content = freezeContent(content);
  }

  get content(): VaultContent {
    if (!this.#content) throw vaultErrors.locked();
    return this.#content;
  }

  slots(): SlotType[] {
    this.#ensureOpen();
    return [...this.#slots];
  }

  close(): void {
    this.#dataKey.fill(0);
    this.#content = null;
  }

  async reload(): Promise<VaultContent> {
    const { content } = await this.#readCurrent();
    this.#content = freezeContent(content);
    return this.#content;
  }

  async update<T>(change: (draft: VaultContent) => T): Promise<T> {
    return withLock(this.#d, async (lock) => {
      const { header, content: draft } = await this.#readCurrent();
      const before = JSON.stringify(draft);
      const result = change(draft);
      if (result instanceof Promise) {
        // Edits made after an await would escape the lock; refuse rather than lose them.
        throw new TypeError('vault.update() needs a synchronous change function');
      }
      const checked = VaultContent.safeParse(draft);
      if (!checked.success) throw vaultErrors.invalidChange(checked.error);
      // A change that changes nothing is not written, so .prev keeps a real earlier version.
      if (JSON.stringify(checked.data) !== before) {
        await writeUnderLock(
          this.#d,
          lock,
          encryptFile(this.#d, header, checked.data, this.#dataKey),
        );
      }
      this.#content = freezeContent(checked.data);
      return result;
    });
  }

  async setPassword(password: string): Promise<void> {
    this.#ensureOpen();
    if (password === '') throw vaultErrors.passwordEmpty();
    // The KDF runs before taking the lock so other writers are not kept waiting for it.
    const slot = await createPasswordSlot(this.#dataKey, this.#vaultId, password, this.#d.random);
    await this.#changeSlots((slots) => [...slots.filter((s) => s.type !== 'password'), slot]);
  }

  async removePassword(): Promise<void> {
    await this.#changeSlots(async (slots, header) => {
      if (!slotOf(header, 'password')) return null;
      const keychainSlot = slotOf(header, 'keychain');
      if (!keychainSlot) throw vaultErrors.lastSlot('password');
      await this.#checkKeychainOpens(keychainSlot);
      return slots.filter((s) => s.type !== 'password');
    });
  }

  async enableKeychain(): Promise<void> {
    const account = keychainAccount(this.#vaultId);
    let stored = false;
    try {
      await this.#changeSlots(async (slots, header) => {
        const existing = slotOf(header, 'keychain');
        if (existing && (await this.#keychainOpens(existing))) return null;
        const { slot, secret } = createKeychainSlot(this.#dataKey, this.#vaultId, this.#d.random);
        await storeKeychainSecret(
          this.#d,
          this.#vaultId,
          secret,
          vaultErrors.keychainUnavailableWithPassword,
        );
        stored = true;
        return [slot, ...slots.filter((s) => s.type !== 'keychain')];
      });
    } catch (error) {
      if (stored) await this.#d.keychain.delete(account).catch(() => undefined);
      throw error;
    }
  }

  async disableKeychain(): Promise<void> {
    let removed = false;
    await this.#changeSlots((slots, header) => {
      if (!slotOf(header, 'keychain')) return null;
      if (!slotOf(header, 'password')) throw vaultErrors.lastSlot('keychain');
      removed = true;
      return slots.filter((s) => s.type !== 'keychain');
    });
    if (removed) {
      // Best effort: the vault no longer refers to the entry, so a leftover is harmless.
      await this.#d.keychain.delete(keychainAccount(this.#vaultId)).catch(() => false);
    }
  }

  /**
   * Rewrites the header with new slots under the lock. The file is written twice so that
   * vault.ckv.prev carries the new slots too: after a password change or removal, no file in
   * the folder still opens with the old password.
   */
  async #changeSlots(
    change: (slots: KeySlot[], header: VaultHeader) => KeySlot[] | null | Promise<KeySlot[] | null>,
  ): Promise<void> {
    this.#ensureOpen();
    await withLock(this.#d, async (lock) => {
      const { header, content } = await this.#readCurrent();
      const slots = await change([...header.slots], header);
      if (slots === null) return;
      const next: VaultHeader = { ...header, slots };
      for (let i = 0; i < 2; i += 1) {
        await writeUnderLock(this.#d, lock, encryptFile(this.#d, next, content, this.#dataKey));
      }
      this.#slots = slots.map((slot) => slot.type);
      this.#content = freezeContent(content);
    });
  }

  async #keychainOpens(slot: KeychainSlot): Promise<boolean> {
    const secret = await this.#d.keychain.get(keychainAccount(this.#vaultId)).catch(() => null);
    const key = secret === null ? null : unwrapKeychainSlot(slot, this.#vaultId, secret);
    const same = key !== null && key.equals(this.#dataKey);
    key?.fill(0);
    return same;
  }

  /** Before removing the password, make sure the keychain really opens the vault. */
  async #checkKeychainOpens(slot: KeychainSlot): Promise<void> {
    let secret: string | null;
    try {
      secret = await this.#d.keychain.get(keychainAccount(this.#vaultId));
    } catch (error) {
      throw vaultErrors.keychainNotWorkingKeepPassword('KEYCHAIN_UNAVAILABLE', error);
    }
    if (secret === null)
      throw vaultErrors.keychainNotWorkingKeepPassword('VAULT_KEYCHAIN_ENTRY_MISSING');
    if (!(await this.#keychainOpens(slot))) {
      throw vaultErrors.keychainNotWorkingKeepPassword('VAULT_KEYCHAIN_ENTRY_INVALID');
    }
  }

  async #readCurrent(): Promise<{ header: VaultHeader; content: VaultContent }> {
    this.#ensureOpen();
    const file = await parseOrExplain(this.#d, await readVaultBytes(this.#d));
    if (file.header.vaultId !== this.#vaultId) throw vaultErrors.replaced(this.#d.dir);
    const content = await decryptContent(this.#d, file, this.#dataKey);
    this.#slots = file.header.slots.map((slot) => slot.type);
    return { header: file.header, content };
  }

  #ensureOpen(): void {
    if (!this.#content) throw vaultErrors.locked();
  }
}
