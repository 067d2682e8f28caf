import { createRequire } from 'node:module';
import { ChronokeyError } from '../../../shared/errors';

/** The OS keychain as the vault needs it: one secret string per account name. */
export interface KeychainPort {
  isAvailable(): Promise<boolean>;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'Chronokey';
const DEFAULT_TIMEOUT_MS = 5000;

/** The part of keytar's API used here (exported so tests can stand in a hanging one). */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

function unavailable(cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'KEYCHAIN_UNAVAILABLE',
    'No system keychain could be reached.' +
      (process.platform === 'linux'
        ? ' On Linux the keychain is gnome-keyring or KWallet through the Secret Service; make sure one of them is running and unlocked.'
        : ''),
    { cause },
  );
}

/**
 * The real keychain through keytar. keytar is loaded on first use (it is a native module the
 * CLI may not need), and every call is bounded by a timeout because libsecret can wait forever
 * when no session bus answers.
 */
export function createKeytarKeychain(
  service: string = KEYCHAIN_SERVICE,
  options: { timeoutMs?: number; keytar?: Keytar } = {},
): KeychainPort {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let keytar: Keytar | undefined = options.keytar;

  function load(): Keytar {
    if (!keytar) {
      try {
        keytar = createRequire(import.meta.url)('keytar') as Keytar;
      } catch (error) {
        throw unavailable(error);
      }
    }
    return keytar;
  }

  async function call<T>(run: (k: Keytar) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unavailable(new Error(`keychain did not answer within ${timeoutMs} ms`))),
        timeoutMs,
      );
      timer.unref?.();
    });
    try {
      return await Promise.race([run(load()), timeout]);
    } catch (error) {
      throw error instanceof ChronokeyError ? error : unavailable(error);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async isAvailable() {
      try {
        await call((k) => k.findCredentials(`${service}-probe`));
        return true;
      } catch {
        return false;
      }
    },
    get: (account) => call((k) => k.getPassword(service, account)),
    set: (account, value) => call((k) => k.setPassword(service, account, value)),
    delete: (account) => call((k) => k.deletePassword(service, account)),
  };
}

/** An in-memory keychain for tests; `available: false` behaves like a machine without one. */
export function createMemoryKeychain(
  options: { available?: boolean } = {},
): KeychainPort & { entries: Map<string, string>; available: boolean } {
  const entries = new Map<string, string>();
  const keychain = {
    entries,
    available: options.available ?? true,
    async isAvailable() {
      return keychain.available;
    },
    async get(account: string) {
      if (!keychain.available) throw unavailable();
      return entries.get(account) ?? null;
    },
    async set(account: string, value: string) {
      if (!keychain.available) throw unavailable();
      entries.set(account, value);
    },
    async delete(account: string) {
      if (!keychain.available) throw unavailable();
      return entries.delete(account);
    },
  };
  return keychain;
}
