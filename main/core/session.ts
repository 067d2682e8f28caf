import type { VaultContent } from '../../shared/vault-content';
import type { VaultStatus } from '../../shared/contract';
import { ChronokeyError } from '../../shared/errors';
import type { Clock } from './ports';
import type { UnlockedVault, VaultDeps } from './vault/vault';
import { createVault, inspectVault, openVault } from './vault/vault';

/** How long content read from disk is trusted before looking again for other writers (the CLI). */
const RELOAD_AFTER_MS = 1000;

/**
 * The vault as the app sees it over time: missing, locked or unlocked. Holds the unlocked
 * vault (and so its key) only while unlocked; `lock()` forgets it.
 */
export class VaultSession {
  #vault: UnlockedVault | null = null;
  #loadedAt = 0;

  constructor(
    private readonly deps: VaultDeps,
    private readonly clock: Clock,
  ) {}

  /** The folder holding the vault (nothing is ever exported into it). */
  get dir(): string {
    return this.deps.dir;
  }

  async status(): Promise<VaultStatus> {
    const [info, keychainAvailable] = await Promise.all([
      inspectVault(this.deps),
      this.deps.keychain.isAvailable(),
    ]);
    const state = !info.exists ? 'missing' : this.#vault ? 'unlocked' : 'locked';
    return {
      state,
      slots: this.#vault ? this.#vault.slots() : info.slots,
      keychainAvailable,
      rollback: this.#vault?.rollback() ?? null,
    };
  }

  async create(options: { useKeychain: boolean; password?: string | undefined }): Promise<void> {
    this.lock();
    this.#remember(
      await createVault(this.deps, {
        useKeychain: options.useKeychain,
        ...(options.password !== undefined && { password: options.password }),
      }),
    );
  }

  async unlock(password?: string): Promise<void> {
    this.lock();
    this.#remember(await openVault(this.deps, password === undefined ? {} : { password }));
  }

  /** Proves the user knows the master password (before changing or removing it). */
  async checkPassword(password: string): Promise<void> {
    (await openVault(this.deps, { password })).close();
  }

  lock(): void {
    this.#vault?.close();
    this.#vault = null;
  }

  get isUnlocked(): boolean {
    return this.#vault !== null;
  }

  vault(): UnlockedVault {
    if (!this.#vault) {
      throw new ChronokeyError(
        'VAULT_LOCKED',
        'The vault is locked. Unlock it to see your accounts.',
      );
    }
    return this.#vault;
  }

  /** Current content, re-read from disk now and then so changes made by the CLI show up. */
  async content(): Promise<VaultContent> {
    const vault = this.vault();
    if (this.clock.now() - this.#loadedAt >= RELOAD_AFTER_MS) {
      await vault.reload();
      this.#loadedAt = this.clock.now();
    }
    return vault.content;
  }

  /** Changes the vault under its lock; the change sees the latest content on disk. */
  async update<T>(change: (draft: VaultContent) => T): Promise<T> {
    const result = await this.vault().update(change);
    this.#loadedAt = this.clock.now();
    return result;
  }

  #remember(vault: UnlockedVault): void {
    this.#vault = vault;
    this.#loadedAt = this.clock.now();
  }
}
