import { randomInt } from 'node:crypto';
import { parse as parseProto } from 'protobufjs';
import type { Algorithm, OtpParams } from '../../../../shared/domain';
import { DEFAULT_PERIOD } from '../../../../shared/domain';
import { ChronokeyError, isChronokeyError } from '../../../../shared/errors';
import { base32ToBytes, bytesToBase32 } from '../../otp/base32';
import { decodePercentLeniently } from '../../otp/percent-decode';
import type { EntryFields } from '../entry';
import { entryFromFields } from '../entry';
import type { DecodedSource, ImportedEntry, SkippedEntry } from '../types';

/**
 * Google Authenticator's "Transfer accounts" export: `otpauth-migration://offline?data=…`, where
 * `data` is a base64 protobuf MigrationPayload. The schema below is the one Google's app uses
 * (as published by the apps that import it, e.g. Aegis); protobufjs reads and writes it, so no
 * varint is decoded by hand. An export of many accounts is split over several QR codes that
 * share a batch_id and carry their batch_index and batch_size.
 */
const MIGRATION_PROTO = `
syntax = "proto3";
message MigrationPayload {
  enum Algorithm {
    ALGORITHM_UNSPECIFIED = 0;
    ALGORITHM_SHA1 = 1;
    ALGORITHM_SHA256 = 2;
    ALGORITHM_SHA512 = 3;
    ALGORITHM_MD5 = 4;
  }
  enum DigitCount {
    DIGIT_COUNT_UNSPECIFIED = 0;
    DIGIT_COUNT_SIX = 1;
    DIGIT_COUNT_EIGHT = 2;
  }
  enum OtpType {
    OTP_TYPE_UNSPECIFIED = 0;
    OTP_TYPE_HOTP = 1;
    OTP_TYPE_TOTP = 2;
  }
  message OtpParameters {
    bytes secret = 1;
    string name = 2;
    string issuer = 3;
    Algorithm algorithm = 4;
    DigitCount digits = 5;
    OtpType type = 6;
    int64 counter = 7;
  }
  repeated OtpParameters otp_parameters = 1;
  int32 version = 2;
  int32 batch_size = 3;
  int32 batch_index = 4;
  int32 batch_id = 5;
}
`;

/** The schema's compiled message type, built once when the module loads. */
export const MigrationPayloadType = parseProto(MIGRATION_PROTO, { keepCase: true }).root.lookupType(
  'MigrationPayload',
);

/** The payload as protobufjs hands it back (enums and int64 as numbers and strings). */
interface RawOtpParameters {
  secret?: Uint8Array;
  name?: string;
  issuer?: string;
  algorithm?: number;
  digits?: number;
  type?: number;
  counter?: string;
}
interface RawPayload {
  otp_parameters?: RawOtpParameters[];
  version?: number;
  batch_size?: number;
  batch_index?: number;
  batch_id?: number;
}

const ALGORITHMS: Partial<Record<number, Algorithm>> = { 1: 'SHA1', 2: 'SHA256', 3: 'SHA512' };
const ALGORITHM_CODES: Record<Algorithm, number> = { SHA1: 1, SHA256: 2, SHA512: 3 };
const DIGITS: Partial<Record<number, number>> = { 1: 6, 2: 8 };
const DIGIT_CODES: Partial<Record<number, number>> = { 6: 1, 8: 2 };
const OTP_TYPE_HOTP = 1;
const OTP_TYPE_TOTP = 2;
const ALGORITHM_MD5 = 4;

/** A QR code holds at most ~3 KB; a pasted text could hold more, but never this much. */
const MAX_DATA_LENGTH = 1024 * 1024;
/** Google's app puts 10 accounts in each QR code; more would make codes too dense to scan. */
export const GOOGLE_BATCH_SIZE = 10;

const LABEL = 'Google Authenticator export';

/**
 * Decodes one `otpauth-migration://` link. `sourceName` is how the user knows where it came from
 * ("Pasted text", "export.png"), used in every message. Throws MIGRATION_INVALID when the link
 * is not a readable export; entries Chronokey cannot use (MD5, unknown kinds) are listed in
 * `skipped`, never dropped silently.
 */
export function decodeMigrationUri(uri: string, sourceName: string): DecodedSource {
  const payload = readPayload(uri, sourceName);
  const entries: ImportedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const raw of payload.otp_parameters ?? []) {
    const result = toEntry(raw);
    if ('entry' in result) entries.push(result.entry);
    else skipped.push(result.skipped);
  }
  if (entries.length === 0 && skipped.length === 0) {
    throw invalid(sourceName, 'it holds no accounts');
  }
  const source: DecodedSource = { format: 'google-migration', label: LABEL, entries, skipped };
  const batch = readBatch(payload, sourceName);
  if (batch !== undefined) source.batch = batch;
  return source;
}

function readPayload(uri: string, sourceName: string): RawPayload {
  const match = /^otpauth-migration:\/\/([^/?#]*)\/?\?([^#]*)/i.exec(uri.trim());
  if (match === null) {
    throw invalid(sourceName, 'it is not an otpauth-migration://offline?data=… link');
  }
  const rawData = readRawDataParameter(match[2] ?? '');
  if (rawData === undefined || rawData === '') {
    throw invalid(sourceName, 'the link has no "data=" part');
  }
  if (rawData.length > MAX_DATA_LENGTH) throw invalid(sourceName, 'its data is far too long');
  const bytes = decodeBase64Leniently(decodePercentLeniently(rawData));
  if (bytes === undefined) throw invalid(sourceName, 'its data is not valid base64');
  try {
    const message = MigrationPayloadType.decode(bytes);
    return MigrationPayloadType.toObject(message, {
      longs: String,
      enums: Number,
      bytes: Uint8Array,
      defaults: false,
    }) as RawPayload;
  } catch (error) {
    throw invalid(sourceName, 'its data is not a valid Google Authenticator payload', error);
  }
}

/** The raw (still percent-encoded) `data` value: URLSearchParams would turn '+' into a space. */
function readRawDataParameter(query: string): string | undefined {
  for (const part of query.split('&')) {
    const at = part.indexOf('=');
    const name = at === -1 ? part : part.slice(0, at);
    if (name.toLowerCase() === 'data') return at === -1 ? '' : part.slice(at + 1);
  }
  return undefined;
}

/**
 * Base64 as it survives copying: standard or URL-safe alphabet, with or without padding, with
 * '+' turned into a space by a form decoder, or wrapped over lines.
 */
function decodeBase64Leniently(text: string): Uint8Array | undefined {
  const cleaned = text
    .replace(/ /g, '+')
    .replace(/[\t\r\n]/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(cleaned) || cleaned.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(cleaned, 'base64'));
}

function readBatch(payload: RawPayload, sourceName: string): DecodedSource['batch'] {
  const size = payload.batch_size ?? 0;
  const index = payload.batch_index ?? 0;
  if (size <= 0) return undefined;
  if (index < 0 || index >= size) {
    throw invalid(
      sourceName,
      `it says it is code ${index + 1} of ${size}, which cannot be (the export is damaged)`,
    );
  }
  return { id: payload.batch_id ?? 0, index, size };
}

type EntryResult = { entry: ImportedEntry } | { skipped: SkippedEntry };

function toEntry(raw: RawOtpParameters): EntryResult {
  const { issuer, account } = splitName(raw.name ?? '', raw.issuer ?? '');
  const name = issuer !== '' ? `${issuer}:${account}` : account;
  const skip = (code: string, message: string): EntryResult => ({
    skipped: { name, code, message },
  });

  const algorithmCode = raw.algorithm ?? 0;
  if (algorithmCode === ALGORITHM_MD5) {
    return skip(
      'ALGORITHM_UNSUPPORTED',
      'This account uses the MD5 algorithm, which Chronokey does not support (only SHA1, SHA256 ' +
        'and SHA512). Keep it in Google Authenticator.',
    );
  }
  const algorithm = algorithmCode === 0 ? undefined : ALGORITHMS[algorithmCode];
  if (algorithmCode !== 0 && algorithm === undefined) {
    return skip(
      'ALGORITHM_UNSUPPORTED',
      `This account uses an algorithm Chronokey does not know (number ${algorithmCode}).`,
    );
  }
  const digitsCode = raw.digits ?? 0;
  const digits = digitsCode === 0 ? undefined : DIGITS[digitsCode];
  if (digitsCode !== 0 && digits === undefined) {
    return skip(
      'DIGITS_INVALID',
      `This account asks for a code length Chronokey does not know (number ${digitsCode}).`,
    );
  }
  const typeCode = raw.type ?? 0;
  if (typeCode !== 0 && typeCode !== OTP_TYPE_HOTP && typeCode !== OTP_TYPE_TOTP) {
    return skip(
      'TYPE_UNSUPPORTED',
      `This account is of a kind Chronokey does not know (number ${typeCode}); only time-based ` +
        '(TOTP) and counter-based (HOTP) accounts can be imported.',
    );
  }
  const isHotp = typeCode === OTP_TYPE_HOTP;
  const counter = isHotp ? Number(raw.counter ?? '0') : undefined;
  if (counter !== undefined && (!Number.isSafeInteger(counter) || counter < 0)) {
    return skip(
      'COUNTER_INVALID',
      `This counter-based account's counter (${raw.counter ?? ''}) is out of range.`,
    );
  }

  const defaulted: ImportedEntry['defaulted'] = ['period'];
  if (algorithm === undefined) defaulted.push('algorithm');
  if (digits === undefined) defaulted.push('digits');
  if (issuer === '') defaulted.push('issuer');
  const fields: EntryFields = {
    type: isHotp ? 'hotp' : 'totp',
    issuer,
    account,
    secret: bytesToBase32(raw.secret ?? new Uint8Array()),
    algorithm,
    digits,
    counter,
  };
  try {
    const entry = entryFromFields(fields, defaulted);
    if (typeCode === 0) {
      entry.warnings.push({
        code: 'TYPE_DEFAULTED',
        message:
          'The export did not say whether this account is time-based or counter-based; ' +
          'Chronokey took it as time-based (TOTP), as Google Authenticator does.',
      });
    }
    return { entry };
  } catch (error) {
    if (isChronokeyError(error)) return skip(error.code, error.message);
    throw error;
  }
}

/**
 * Google writes `name` as "Issuer:account" or just "account". The prefix is dropped when it
 * repeats the issuer; with no issuer field, a prefix is taken as the issuer (as the link does).
 */
function splitName(name: string, issuerField: string): { issuer: string; account: string } {
  const issuer = issuerField.trim();
  const at = name.indexOf(':');
  if (at === -1) return { issuer, account: name.trim() };
  const prefix = name.slice(0, at).trim();
  const rest = name.slice(at + 1).trim();
  if (issuer === '') return { issuer: prefix, account: rest };
  if (prefix === issuer) return { issuer, account: rest };
  return { issuer, account: name.trim() };
}

function invalid(sourceName: string, what: string, cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'MIGRATION_INVALID',
    `The Google Authenticator export in "${sourceName}" cannot be read: ${what}. ` +
      'Scan or copy the export code again.',
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Why an account cannot travel in a Google Authenticator export, or undefined when it can.
 * The format has no period (Google assumes 30 s), no Steam kind and only 6 or 8 digits: such
 * accounts would give wrong codes on the phone, so they are refused, never silently altered.
 */
export function googleExportIncompatibility(params: OtpParams): string | undefined {
  if (params.type === 'steam') {
    return 'Google Authenticator cannot make Steam Guard codes.';
  }
  if (DIGIT_CODES[params.digits] === undefined) {
    return `Google Authenticator makes only 6- or 8-digit codes, and this account uses ${params.digits}.`;
  }
  if (params.type === 'totp' && params.period !== DEFAULT_PERIOD) {
    return `Google Authenticator's export cannot carry a ${params.period}-second period (only ${DEFAULT_PERIOD}).`;
  }
  return undefined;
}

export interface EncodeMigrationOptions {
  /** Accounts per QR code; Google's app uses 10, which keeps each code easy to scan. */
  batchSize?: number;
  /** Shared by every link of this export, so a phone knows they belong together. */
  batchId?: number;
}

/**
 * Writes accounts as `otpauth-migration://offline?data=…` links, at most `batchSize` per link,
 * each with batch_index/batch_size/batch_id set, for a phone's Google Authenticator to scan.
 * Throws MIGRATION_UNSUPPORTED naming the first account that the format cannot carry (see
 * googleExportIncompatibility): callers filter with that function and tell the user first.
 */
export function encodeMigrationPayloads(
  accounts: readonly OtpParams[],
  options: EncodeMigrationOptions = {},
): string[] {
  const batchSize = options.batchSize ?? GOOGLE_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`encodeMigrationPayloads: batchSize must be a positive integer`);
  }
  const batchId = options.batchId ?? randomInt(1, 2 ** 31);
  for (const account of accounts) {
    const reason = googleExportIncompatibility(account);
    if (reason !== undefined) {
      const name = account.issuer !== '' ? `${account.issuer}:${account.account}` : account.account;
      throw new ChronokeyError(
        'MIGRATION_UNSUPPORTED',
        `"${name}" cannot be exported to Google Authenticator: ${reason} Leave it out of the transfer.`,
      );
    }
  }
  const batches: OtpParams[][] = [];
  for (let start = 0; start < accounts.length; start += batchSize) {
    batches.push(accounts.slice(start, start + batchSize));
  }
  return batches.map((batch, index) => {
    const message = MigrationPayloadType.fromObject({
      otp_parameters: batch.map(toRawParameters),
      version: 1,
      batch_size: batches.length,
      batch_index: index,
      batch_id: batchId,
    });
    const data = Buffer.from(MigrationPayloadType.encode(message).finish()).toString('base64');
    return `otpauth-migration://offline?data=${encodeURIComponent(data)}`;
  });
}

function toRawParameters(params: OtpParams): Record<string, unknown> {
  return {
    secret: base32ToBytes(params.secret),
    // With no issuer, a leading ':' keeps an account name holding ':' from being split on reading.
    name:
      params.issuer !== ''
        ? `${params.issuer}:${params.account}`
        : params.account.includes(':')
          ? `:${params.account}`
          : params.account,
    issuer: params.issuer,
    algorithm: ALGORITHM_CODES[params.algorithm],
    digits: DIGIT_CODES[params.digits] ?? 0,
    type: params.type === 'hotp' ? OTP_TYPE_HOTP : OTP_TYPE_TOTP,
    counter: params.type === 'hotp' ? params.counter : 0,
  };
}
