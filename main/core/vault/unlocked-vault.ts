import { VaultContent } from '../../../shared/domain';
import {
  createKeychainSlot,
  createPasswordSlot,
  keychainAccount,
  unwrapKeychainSlot,
} from './key-slots';
import { vaultErrors } from './vault-errors';
import type { KeySlot, KeychainSlot, SlotType, VaultHeader } from './vault-file';
import {
  decryptContent,
  encryptFile,
  freezeContent,
  parseOrExplain,
  readVaultBytes,
  slotOf,
  storeKeychainSecret,
  withLock,
  writeUnderLock,
  type Resolved,
} from './vault-io';

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

/** An opened vault: holds the data key until `close()`. */
export class VaultHandle implements UnlockedVault {
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
