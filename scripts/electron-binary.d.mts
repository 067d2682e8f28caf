// Types for scripts/electron-binary.mjs, used by test/electron and test/unit/build.
export type ElectronBinary =
  | { installed: true; path: string; version: string }
  | {
      installed: false;
      path: null;
      version: string;
      /** not-downloaded: the usual state after `npm ci` with Electron 45 (nothing fetched yet). */
      problem: 'package' | 'not-downloaded' | 'other-platform' | 'other-version' | 'override';
      reason: string;
    };
export function platformPath(platform?: string): string;
export function findElectronBinary(options?: {
  root?: string;
  env?: Record<string, string | undefined>;
  platform?: string;
}): ElectronBinary;
export const INSTALL_HINT: string;
