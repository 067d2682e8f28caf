import { join } from 'node:path';
import { expect } from 'vitest';
import { ChronokeyError } from '../../../../../shared/errors';
import { createMemoryKeychain } from '../../../../../main/core/vault/keychain';
import type { VaultDeps } from '../../../../../main/core/vault/vault';

/** Deps for a vault in `<root>/vault` with an in-memory keychain (fast, isolated). */
export function memoryDeps(root: string, extra: Partial<VaultDeps> = {}) {
  const keychain = createMemoryKeychain();
  const deps: VaultDeps = { dir: join(root, 'vault'), keychain, ...extra };
  return { deps, keychain, dir: deps.dir };
}

/** Awaits `promise`, expects a ChronokeyError with `code`, and returns it for more checks. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<ChronokeyError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(ChronokeyError);
  const error = caught as ChronokeyError;
  expect(error.code, error.message).toBe(code);
  return error;
}
