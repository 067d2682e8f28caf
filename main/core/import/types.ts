import type { AccountWarning, OtpParams } from '../../../shared/domain';

/**
 * The import pipeline: decode → parse → check → preview → commit. Every source (pasted text,
 * image files, a screen scan, another app's backup) is turned into ImportInputs, each input is
 * decoded by the format that recognises its content (never its file name), and the entries
 * found go through the same checks and preview before anything touches the vault.
 */

/** One thing to import from: a file, the clipboard's text or image, a captured display. */
export interface ImportInput {
  /** What the user would call it in a message: the file name, "Pasted text", "Display 1". */
  name: string;
  bytes: Uint8Array;
}

/** An input with its content read once, so formats can sniff cheaply. */
export interface SniffedInput extends ImportInput {
  /** The bytes as UTF-8 text, or null when they are not valid UTF-8 (an image, a binary backup). */
  text: string | null;
  /** The text parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** An account found in a source, already checked like a link. */
export interface ImportedEntry {
  params: OtpParams;
  tags: string[];
  favourite: boolean;
  /** Fields the source could not carry, which Chronokey filled with defaults (e.g. `period`). */
  defaulted: Array<'algorithm' | 'digits' | 'period' | 'counter' | 'issuer'>;
  warnings: AccountWarning[];
  /**
   * Only from a Chronokey backup: the account's id and times in the vault it came from, so a
   * restore gives back the very same accounts (a new id is used if that id is already taken).
   */
  restore?: { id: string; createdAt: number; lastUsedAt: number | null };
}

/** An entry the source holds that Chronokey cannot import (listed, never dropped silently). */
export interface SkippedEntry {
  /** How the user recognises it, e.g. "Example:alice". */
  name: string;
  code: string;
  message: string;
}

/** Part k of n of a multi-part export (Google Authenticator's batches). */
export interface BatchInfo {
  id: number;
  index: number;
  size: number;
}

export interface DecodedSource {
  /** Which format read it, e.g. 'aegis'; and how to say so, e.g. "Aegis vault (encrypted)". */
  format: string;
  label: string;
  entries: ImportedEntry[];
  skipped: SkippedEntry[];
  batch?: BatchInfo;
}

export interface DecodeOptions {
  /** The password for an encrypted backup, when the user has given one. */
  password?: string;
}

/**
 * One format of another app's export. `detect` looks at content only. `decode` throws a
 * ChronokeyError naming the input for anything wrong: IMPORT_PASSWORD_REQUIRED (encrypted and no
 * password given), IMPORT_WRONG_PASSWORD, IMPORT_MALFORMED (what is wrong, where).
 */
export interface ImportFormat {
  id: string;
  label: string;
  detect(input: SniffedInput): boolean;
  /** True when decoding needs a password (so the UI can ask before trying). */
  isEncrypted(input: SniffedInput): boolean;
  decode(input: SniffedInput, options: DecodeOptions): Promise<DecodedSource>;
}
