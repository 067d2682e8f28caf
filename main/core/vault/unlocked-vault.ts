import { MAX_ACCOUNTS } from '../../../shared/domain';
import { VaultContent } from '../../../shared/vault-content';
import { KEY_BYTES } from './aead';
import {
  createKeychainSlot,
  createPasswordSlot,
  keychainAccount,
  unwrapKeychainSlot,
  unwrapPasswordSlot,
  wrapWithKeychainSecret,
} from './key-slots';
import { vaultErrors } from './vault-errors';
import type { KeySlot, KeychainSlot, SlotType, VaultHeader } from './vault-file';
import {
  decryptContent,
  freezeContent,
  parseOrExplain,
  readVaultBytes,
  slotOf,
  storeKeychainSecret,
  withLock,
  writeNextGeneration,
  type Resolved,
} from './vault-io';
import type { VaultLock } from './vault-lock';
import { applyCounterFloor, readVaultState, type VaultState } from './vault-state';

/** An older vault file than the one last seen here was found in place (see vault-state.ts). */
export interface RollbackNotice {
  fileGeneration: number;
  lastSeenGeneration: number;
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
  /** Adds a password, or changes it (then with a new data key). */
  setPassword(password: string): Promise<void>;
  /** Removes the password, with a new data key wrapped for the keychain only. */
  removePassword(): Promise<void>;
  enableKeychain(): Promise<void>;
  /** Turns the keychain slot off, with a new data key wrapped by `password` (the current one). */
  disableKeychain(password: string): Promise<void>;
  slots(): SlotType[];
  /** Set when an older file than the one last seen here was opened; stays until acknowledged. */
  rollback(): RollbackNotice | null;
  /** The person has seen the rollback warning: write the file as the newest generation. */
  acknowledgeRollback(): Promise<void>;
  /** Forgets the data key (overwritten with zeros); the object is unusable afterwards. */
  close(): void;
}

/** An opened vault: holds the data key until `close()`. */
export class VaultHandle implements UnlockedVault {
  readonly #d: Resolved;
  #dataKey: Buffer;
  readonly #vaultId: string;
  #slots: SlotType[];
  #content: VaultContent | null;
  /** The highest generation written, read or recorded here while unlocked. */
  #seenGeneration: number;
  #rollback: RollbackNotice | null = null;

  constructor(
    d: Resolved,
    dataKey: Buffer,
    header: VaultHeader,
    content: VaultContent,
    state: VaultState | null,
  ) {
    this.#d = d;
    this.#dataKey = dataKey;
    this.#vaultId = header.vaultId;
    this.#slots = header.slots.map((slot) => slot.type);
    this.#seenGeneration = header.generation;
    this.#noteGeneration(header, state);
    applyCounterFloor(content, state);
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

  rollback(): RollbackNotice | null {
    this.#ensureOpen();
    return this.#rollback;
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
      const countBefore = draft.accounts.length;
      const result = change(draft);
      if (result instanceof Promise) {
        // Edits made after an await would escape the lock; refuse rather than lose them.
        throw new TypeError('vault.update() needs a synchronous change function');
      }
      if (draft.accounts.length > MAX_ACCOUNTS && draft.accounts.length > countBefore) {
        throw vaultErrors.full(countBefore, draft.accounts.length - countBefore);
      }
      const checked = VaultContent.safeParse(draft);
      if (!checked.success) throw vaultErrors.invalidChange(checked.error);
      // A change that changes nothing is not written, so .prev keeps a real earlier version.
      if (JSON.stringify(checked.data) !== before) {
        await this.#write(lock, header, checked.data, this.#dataKey);
      }
      this.#content = freezeContent(checked.data);
      return result;
    });
  }

  async acknowledgeRollback(): Promise<void> {
    this.#ensureOpen();
    if (!this.#rollback) return;
    await withLock(this.#d, async (lock) => {
      const { header, content } = await this.#readCurrent();
      await this.#write(lock, header, content, this.#dataKey);
      this.#content = freezeContent(content);
    });
    this.#rollback = null;
  }

  async setPassword(password: string): Promise<void> {
    this.#ensureOpen();
    if (password === '') throw vaultErrors.passwordEmpty();
    const changing = this.#slots.includes('password');
    // Changing the password replaces the data key; adding one keeps it (nothing old to lock out).
    const dataKey = changing ? this.#d.random(KEY_BYTES) : Buffer.from(this.#dataKey);
    try {
      // The KDF runs before taking the lock so other writers are not kept waiting for it.
      const slot = await createPasswordSlot(dataKey, this.#vaultId, password, this.#d.random);
      await this.#rewrite(dataKey, async (header) => {
        const keychainSlot = slotOf(header, 'keychain');
        const kept: KeySlot[] = [];
        if (keychainSlot) {
          kept.push(changing ? await this.#rewrapKeychain(keychainSlot, dataKey) : keychainSlot);
        }
        return [...kept, slot];
      });
    } finally {
      dataKey.fill(0);
    }
  }

  async removePassword(): Promise<void> {
    this.#ensureOpen();
    const dataKey = this.#d.random(KEY_BYTES);
    try {
      await this.#rewrite(dataKey, async (header) => {
        if (!slotOf(header, 'password')) return null;
        const keychainSlot = slotOf(header, 'keychain');
        if (!keychainSlot) throw vaultErrors.lastSlot('password');
        await this.#checkKeychainOpens(keychainSlot);
        return [await this.#rewrapKeychain(keychainSlot, dataKey)];
      });
    } finally {
      dataKey.fill(0);
    }
  }

  async enableKeychain(): Promise<void> {
    const account = keychainAccount(this.#vaultId);
    let stored = false;
    const dataKey = Buffer.from(this.#dataKey);
    try {
      await this.#rewrite(dataKey, async (header) => {
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
        return [slot, ...header.slots.filter((s) => s.type !== 'keychain')];
      });
    } catch (error) {
      if (stored) await this.#d.keychain.delete(account).catch(() => undefined);
      throw error;
    } finally {
      dataKey.fill(0);
    }
  }

  async disableKeychain(password: string): Promise<void> {
    this.#ensureOpen();
    const dataKey = this.#d.random(KEY_BYTES);
    let removed = false;
    try {
      // The new data key must be wrapped by the password itself, so it is needed (and checked).
      const slot = await createPasswordSlot(dataKey, this.#vaultId, password, this.#d.random);
      await this.#rewrite(dataKey, async (header) => {
        if (!slotOf(header, 'keychain')) return null;
        const passwordSlot = slotOf(header, 'password');
        if (!passwordSlot) throw vaultErrors.lastSlot('keychain');
        const opened = await unwrapPasswordSlot(passwordSlot, this.#vaultId, password);
        const same = opened !== null && opened.equals(this.#dataKey);
        opened?.fill(0);
        if (!same) throw vaultErrors.wrongPassword();
        removed = true;
        return [slot];
      });
    } finally {
      dataKey.fill(0);
    }
    if (removed) {
      // Best effort: the vault no longer refers to the entry, so a leftover is harmless.
      await this.#d.keychain.delete(keychainAccount(this.#vaultId)).catch(() => false);
    }
  }

  /**
   * Rewrites the file under the lock with the slots `plan` returns (null: nothing to do), all
   * wrapping `dataKey`, which then becomes the vault's data key (a copy is kept; the caller
   * zeroes its own). The file is written twice so that vault.ckv.prev carries the new slots and
   * key too: after a password change or removal, no file in the folder still opens with the old
   * password, and nothing written from now on opens with the old data key.
   */
  async #rewrite(
    dataKey: Buffer,
    plan: (header: VaultHeader) => Promise<KeySlot[] | null>,
  ): Promise<void> {
    this.#ensureOpen();
    await withLock(this.#d, async (lock) => {
      const { header, content } = await this.#readCurrent();
      const slots = await plan(header);
      if (slots === null) return;
      let next: VaultHeader = { ...header, slots };
      for (let i = 0; i < 2; i += 1) {
        next = await this.#write(lock, next, content, dataKey);
      }
      const previous = this.#dataKey;
      this.#dataKey = Buffer.from(dataKey);
      previous.fill(0);
      this.#slots = slots.map((slot) => slot.type);
      this.#content = freezeContent(content);
    });
  }

  async #write(
    lock: VaultLock,
    header: VaultHeader,
    content: VaultContent,
    dataKey: Buffer,
  ): Promise<VaultHeader> {
    const written = await writeNextGeneration(
      this.#d,
      lock,
      header,
      content,
      dataKey,
      this.#seenGeneration,
    );
    this.#seenGeneration = written.header.generation;
    return written.header;
  }

  /** The keychain slot for a new data key, under the wrapping key the keychain already holds. */
  async #rewrapKeychain(slot: KeychainSlot, dataKey: Buffer): Promise<KeychainSlot> {
    let secret: string | null;
    try {
      secret = await this.#d.keychain.get(keychainAccount(this.#vaultId));
    } catch (error) {
      throw vaultErrors.keychainNeededForNewKey('KEYCHAIN_UNAVAILABLE', error);
    }
    const current = secret === null ? null : unwrapKeychainSlot(slot, this.#vaultId, secret);
    const works = current !== null && current.equals(this.#dataKey);
    current?.fill(0);
    if (secret === null || !works) {
      throw vaultErrors.keychainNeededForNewKey(
        secret === null ? 'VAULT_KEYCHAIN_ENTRY_MISSING' : 'VAULT_KEYCHAIN_ENTRY_INVALID',
      );
    }
    return wrapWithKeychainSecret(dataKey, this.#vaultId, secret, this.#d.random);
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
    const state = await readVaultState(this.#d.fs, this.#d.dir, this.#vaultId);
    this.#noteGeneration(file.header, state);
    // Counters this process knows are a floor too (the state file may have been removed).
    applyCounterFloor(content, state);
    applyCounterFloor(content, this.#known());
    this.#slots = file.header.slots.map((slot) => slot.type);
    return { header: file.header, content };
  }

  /** Notes a rollback when the file in place is older than any generation seen here. */
  #noteGeneration(header: VaultHeader, state: VaultState | null): void {
    const seen = Math.max(this.#seenGeneration, state?.generation ?? 0);
    if (header.generation < seen && this.#rollback === null) {
      this.#rollback = { fileGeneration: header.generation, lastSeenGeneration: seen };
    }
    this.#seenGeneration = Math.max(seen, header.generation);
  }

  /** The HOTP counters of the content in memory, as a counter floor. */
  #known(): VaultState | null {
    if (!this.#content) return null;
    const hotp: Record<string, number> = {};
    for (const account of this.#content.accounts) {
      if (account.type === 'hotp') hotp[account.id] = account.counter;
    }
    return {
      version: 1,
      vaultId: this.#vaultId,
      generation: this.#seenGeneration,
      passwordKdf: null,
      hotp,
    };
  }

  #ensureOpen(): void {
    if (!this.#content) throw vaultErrors.locked();
  }
}
