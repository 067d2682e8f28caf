import { argon2, createDecipheriv, pbkdf2, scrypt } from 'node:crypto';
import { ChronokeyError, isChronokeyError } from '../../../../shared/errors';
import type { DecodedSource, ImportedEntry, SkippedEntry } from '../types';
import { assertEntryCount } from '../limits';

/**
 * Small readers shared by the JSON backups of Aegis, 2FAS, Bitwarden and FreeOTP+: typed access
 * to untrusted JSON, per-entry error collection, and the AEAD/KDF calls their encryption uses
 * (all from node:crypto; nothing hand-rolled).
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The whole input cannot be read: what was wrong, naming the input. */
export function malformed(inputName: string, detail: string): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_MALFORMED',
    `${inputName}: ${detail} Nothing was imported from it; export it again from the app.`,
  );
}

export function passwordRequired(inputName: string, what: string): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_PASSWORD_REQUIRED',
    `${inputName}: this ${what} is encrypted. Enter the password it was exported with.`,
  );
}

export function wrongPassword(inputName: string, what: string): ChronokeyError {
  return new ChronokeyError(
    'IMPORT_WRONG_PASSWORD',
    `${inputName}: the password does not open this ${what}. Check it and try again.`,
  );
}

/** One entry of a backup cannot be read; the others still can. */
export function entryMalformed(detail: string): ChronokeyError {
  return new ChronokeyError('ENTRY_MALFORMED', detail);
}

/** Text fields: a string, a number written as text, or absent (null counts as absent). */
export function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw entryMalformed(`Its ${field} is not text.`);
}

/** Numeric fields: a number, or whole-number text ("6"), or absent. Range checks come later. */
export function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*[0-9]{1,16}\s*$/.test(value)) return Number(value);
  if (typeof value === 'string' && value.trim() === '') return undefined;
  throw entryMalformed(`Its ${field} is not a number.`);
}

/**
 * A value from a file, as a message may show it: JSON, clipped. Never String(value), which throws
 * for an object whose `toString` is not a function (`{"toString": 0}`).
 */
export function describeValue(value: unknown, max = 40): string {
  return (JSON.stringify(value) ?? typeof value).slice(0, max);
}

/** "Issuer:account", or whichever of them there is, or a fallback such as "Entry 3". */
export function entryName(
  issuer: string | undefined,
  account: string | undefined,
  fallback: string,
): string {
  const parts = [issuer?.trim() ?? '', account?.trim() ?? ''].filter((part) => part !== '');
  const name = parts.length > 0 ? parts.join(':') : fallback;
  return Array.from(name).length > 200 ? `${Array.from(name).slice(0, 200).join('')}…` : name;
}

/** What one raw entry became: an account, or a reason it is listed as not importable. */
export type EntryOutcome = ImportedEntry | { skipped: SkippedEntry };

export function skipped(name: string, code: string, message: string): { skipped: SkippedEntry } {
  return { skipped: { name, code, message } };
}

/**
 * Converts each raw entry; a ChronokeyError from one entry (a bad secret, an MD5 algorithm)
 * makes it a SkippedEntry with that code and sentence, never a failure of the whole file.
 */
export function collectEntries<T>(
  items: readonly T[],
  nameOf: (item: T, index: number) => string,
  convert: (item: T, index: number) => EntryOutcome,
): Pick<DecodedSource, 'entries' | 'skipped'> {
  assertEntryCount(items.length);
  const entries: ImportedEntry[] = [];
  const skippedEntries: SkippedEntry[] = [];
  items.forEach((item, index) => {
    try {
      const outcome = convert(item, index);
      if ('skipped' in outcome) skippedEntries.push(outcome.skipped);
      else entries.push(outcome);
    } catch (error) {
      if (!isChronokeyError(error)) throw error;
      skippedEntries.push({
        name: safeName(nameOf, item, index),
        code: error.code,
        message: error.message,
      });
    }
  });
  return { entries, skipped: skippedEntries };
}

function safeName<T>(nameOf: (item: T, index: number) => string, item: T, index: number): string {
  try {
    return nameOf(item, index);
  } catch {
    return `Entry ${index + 1}`;
  }
}

/** Strict base64 (standard or URL-safe alphabet, padding optional, line breaks ignored). */
export function decodeBase64(text: string): Uint8Array | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return null;
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

export function decodeHex(text: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/**
 * AES-256-GCM decryption with a 16-byte tag; null when the tag does not verify (a wrong key or
 * changed bytes). Callers check lengths first so that anything else thrown is a real fault.
 */
export function openAesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  associatedData?: Uint8Array,
): Uint8Array | null {
  if (key.length !== 32 || nonce.length < 8 || nonce.length > 64 || tag.length !== 16) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(tag);
  if (associatedData !== undefined) decipher.setAAD(associatedData);
  try {
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    return null;
  }
}

export function scryptKey(
  password: string,
  salt: Uint8Array,
  params: { n: number; r: number; p: number },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // maxmem must cover scrypt's 128·N·r bytes (Node's default of 32 MiB is exactly Aegis's).
    const maxmem = 128 * params.n * params.r * 2 + 16 * 1024 * 1024;
    scrypt(password, salt, 32, { N: params.n, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error === null) resolve(new Uint8Array(key));
      else reject(error);
    });
  });
}

export function pbkdf2Sha256(
  password: string,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, 32, 'sha256', (error, key) => {
      if (error === null) resolve(new Uint8Array(key));
      else reject(error);
    });
  });
}

/** Argon2 (node:crypto, off the main thread): `memoryKib` in KiB, as Argon2 counts it. */
export function argon2Key(
  algorithm: 'argon2d' | 'argon2id',
  password: Uint8Array,
  salt: Uint8Array,
  params: { memoryKib: number; passes: number; parallelism: number; length?: number },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    argon2(
      algorithm,
      {
        message: password,
        nonce: salt,
        parallelism: params.parallelism,
        tagLength: params.length ?? 32,
        memory: params.memoryKib,
        passes: params.passes,
      },
      (error, key) => {
        if (error === null) resolve(new Uint8Array(key));
        else reject(error);
      },
    );
  });
}

/** UTF-8 bytes as JSON, or undefined when they are not. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** Folder and group names as tags: trimmed, at most 64 characters each and 64 in all. */
export function tagNames(names: readonly string[]): string[] {
  const tags = names
    .map((name) => Array.from(name.trim()).slice(0, 64).join('').trim())
    .filter((name) => name !== '');
  return [...new Set(tags)].slice(0, 64);
}
