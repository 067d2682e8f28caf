import { ChronokeyError } from '../../../shared/errors';

/**
 * The bounds on what one import may ask of Chronokey, so that no file (however crafted) can
 * stall the app or exhaust its memory. docs/import.md lists them; each is refused with a
 * sentence that says which limit was reached.
 */

/** Accounts (links, entries) read from one input. */
export const MAX_ENTRIES_PER_INPUT = 100_000;
/** Accounts in one preview, across all its inputs. */
export const MAX_PREVIEW_ITEMS = 100_000;
/** Problems and skipped entries listed one by one; beyond this they are counted. */
export const MAX_LISTED_PROBLEMS = 1_000;
/** Password slots of one encrypted backup that are tried (each costs a key derivation). */
export const MAX_PASSWORD_SLOTS = 4;
/** Files taken from one open dialog (and one `import.addFiles`). */
export const MAX_FILES_PER_IMPORT = 100;

export function assertEntryCount(count: number): void {
  if (count > MAX_ENTRIES_PER_INPUT) {
    throw new ChronokeyError(
      'IMPORT_TOO_MANY_ENTRIES',
      `It holds ${count.toLocaleString('en')} entries; Chronokey reads at most ${MAX_ENTRIES_PER_INPUT.toLocaleString('en')} accounts from one file. Split it into smaller files.`,
    );
  }
}
