import { bytesToBase32 } from '../../otp/base32';
import { entryFromSourceFields } from '../entry';
import type { DecodedSource, ImportFormat, SniffedInput } from '../types';
import {
  collectEntries,
  entryMalformed,
  entryName,
  isRecord,
  malformed,
  optionalNumber,
  optionalText,
  skipped,
  type EntryOutcome,
  type JsonRecord,
} from './app-backup-json';

/**
 * FreeOTP+'s JSON export: `{tokens: [...], tokenOrder: ["issuer:label", ...]}`. Each token holds
 * its secret as Java's signed bytes (-128…127), `type` TOTP or HOTP, `algo`, `digits`, `period`,
 * `counter`, and its names in `issuerExt` (from the label), `issuerInt` (the issuer parameter),
 * `label`, and the user's edits in `issuerAlt` / `labelAlt`. FreeOTP+ shows Steam codes for TOTP
 * tokens whose issuer is exactly "Steam".
 */

export const freeOtpPlusFormat: ImportFormat = {
  id: 'freeotp-plus',
  label: 'FreeOTP+ backup',
  detect: (input) => backupOf(input) !== null,
  isEncrypted: () => false,
  // async, so that every problem arrives as a rejected promise, never a synchronous throw.
  decode: async (input) => decodeFreeOtpPlus(input),
};

function backupOf(input: SniffedInput): JsonRecord | null {
  const json = input.json;
  if (!isRecord(json) || !Array.isArray(json.tokens)) return null;
  if (Array.isArray(json.tokenOrder)) return json;
  return json.tokens.some((token) => isRecord(token) && Array.isArray(token.secret)) ? json : null;
}

function decodeFreeOtpPlus(input: SniffedInput): DecodedSource {
  const backup = backupOf(input);
  if (backup === null) throw malformed(input.name, 'this is not a FreeOTP+ backup.');
  const tokens = inTokenOrder(backup.tokens as unknown[], backup.tokenOrder);
  const found = collectEntries(tokens, nameOf, convertToken);
  return { format: 'freeotp-plus', label: 'FreeOTP+ backup', ...found };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function firstNonEmpty(...values: unknown[]): string {
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return '';
}

/** The key FreeOTP+ files each token under in `tokenOrder`. */
function tokenId(token: unknown): string | undefined {
  if (!isRecord(token)) return undefined;
  const issuer = firstNonEmpty(token.issuerInt, token.issuerExt);
  const label = text(token.label) ?? '';
  return issuer !== '' ? `${issuer}:${label}` : label;
}

/**
 * Tokens in the app's order. Unlike FreeOTP+ itself, tokens the order does not mention are kept
 * (after the ordered ones) rather than silently dropped.
 */
function inTokenOrder(tokens: unknown[], order: unknown): unknown[] {
  if (!Array.isArray(order)) return tokens;
  const byId = new Map<string, number[]>();
  tokens.forEach((token, index) => {
    const id = tokenId(token);
    if (id === undefined) return;
    const queue = byId.get(id);
    if (queue === undefined) byId.set(id, [index]);
    else queue.push(index);
  });
  const used = new Set<number>();
  const ordered: unknown[] = [];
  for (const id of order) {
    const index = typeof id === 'string' ? byId.get(id)?.shift() : undefined;
    if (index === undefined) continue;
    used.add(index);
    ordered.push(tokens[index]);
  }
  return [...ordered, ...tokens.filter((_, index) => !used.has(index))];
}

function nameOf(token: unknown, index: number): string {
  const record = isRecord(token) ? token : {};
  return entryName(
    firstNonEmpty(record.issuerAlt, record.issuerExt, record.issuerInt),
    text(record.labelAlt) ?? text(record.label),
    `Token ${index + 1}`,
  );
}

/** Java's signed bytes (or unsigned 0…255) to bytes. */
function secretBytes(value: unknown): Uint8Array {
  if (!Array.isArray(value))
    throw entryMalformed('Its secret is missing or is not a list of bytes.');
  const bytes = new Uint8Array(value.length);
  value.forEach((byte, at) => {
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < -128 || byte > 255) {
      throw entryMalformed(
        `Its secret holds ${JSON.stringify(byte)?.slice(0, 20) ?? 'a value'}, which is not a byte.`,
      );
    }
    bytes[at] = byte & 0xff;
  });
  return bytes;
}

function convertToken(token: unknown, index: number): EntryOutcome {
  if (!isRecord(token)) throw entryMalformed('This token is not an object.');
  const rawType = (optionalText(token.type, 'type') ?? '').trim().toUpperCase();
  if (rawType !== 'TOTP' && rawType !== 'HOTP') {
    return skipped(
      nameOf(token, index),
      'TYPE_UNSUPPORTED',
      `This token is of type "${rawType.slice(0, 40)}"; Chronokey supports TOTP and HOTP tokens.`,
    );
  }
  const issuer = firstNonEmpty(token.issuerAlt, token.issuerExt, token.issuerInt);
  const type = rawType === 'HOTP' ? 'hotp' : issuer === 'Steam' ? 'steam' : 'totp';
  const algorithm = optionalText(token.algo, 'algorithm');
  const digits = optionalNumber(token.digits, 'digits');
  const period = optionalNumber(token.period, 'period');
  const counter = optionalNumber(token.counter, 'counter');
  const secret = secretBytes(token.secret);
  return entryFromSourceFields({
    type,
    issuer,
    account: optionalText(token.labelAlt, 'label') ?? optionalText(token.label, 'label'),
    // An empty secret is left for the link parser to name (SECRET_EMPTY).
    secret: secret.length === 0 ? '' : bytesToBase32(secret),
    algorithm,
    digits,
    period,
    counter,
  });
}
