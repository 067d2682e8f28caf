import { INSTALL_HINT, findElectronBinary } from '../../scripts/electron-binary.mjs';

export type SuiteBinary = { path: string; reason: null } | { path: null; reason: string };

/**
 * The Electron binary the real-app suite launches, or why it cannot run here. Never downloads:
 * since Electron 45 the electron package fetches its binary from GitHub on first use, so the
 * check reads the files its installer leaves (scripts/electron-binary.mjs).
 */
export function suiteBinary(root = process.cwd()): SuiteBinary {
  const binary = findElectronBinary({ root });
  if (binary.installed) return { path: binary.path, reason: null };
  return { path: null, reason: `${binary.reason} ${INSTALL_HINT}` };
}

/** CI sets CHRONOKEY_REQUIRE_ELECTRON=1: there a missing binary fails the suite, never skips it. */
export const electronRequired = (): boolean => process.env.CHRONOKEY_REQUIRE_ELECTRON === '1';
