import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';
import type { OtpParams } from '../../../shared/domain';
import { STEAM_ALPHABET, STEAM_DIGITS } from '../../../shared/domain';
import { base32ToBytes } from './base32';

/** When a code is for: a moment (TOTP, Steam) or an explicit counter (HOTP, or a TOTP step). */
export type CodeMoment = { timeMs: number } | { counter: number };

/** A code and, for time-based codes, the unix-millisecond span in which it is valid. */
export interface CodeWithValidity {
  code: string;
  validFrom?: number;
  validUntil?: number;
}

export type VerifyResult = { valid: true; delta: number } | { valid: false };

export interface VerifyOptions {
  nowMs: number;
  /**
   * TOTP/Steam: how many periods either side of now to accept (default 1).
   * HOTP: how many counters past params.counter to look ahead (default 10); 0 accepts only the
   * code for params.counter itself.
   */
  window?: number;
}

export const DEFAULT_TOTP_WINDOW = 1;
export const DEFAULT_HOTP_LOOK_AHEAD = 10;
/** Verifying is cheap, but not free: refuse windows that are surely a mistake. */
const MAX_WINDOW = 1000;

/**
 * A secret decoded once. Node's createHmac is about four times faster with a KeyObject than
 * with raw key bytes, which is what makes thousands of codes per refresh cheap.
 */
export interface PreparedSecret {
  readonly secret: string;
  readonly otpSecret: Secret;
  readonly hmac: (algorithm: string, key: Uint8Array, message: Uint8Array) => Uint8Array;
  /**
   * The last few codes made with this secret. A code stays the same for a whole period while
   * the UI refreshes every second, so most refreshes need no HMAC at all.
   */
  readonly recent: Map<string, string>;
}

const RECENT_CODES_KEPT = 4;

export function prepareSecret(secret: string): PreparedSecret {
  const otpSecret = new Secret({ buffer: new Uint8Array(base32ToBytes(secret)).buffer });
  const key = createSecretKey(otpSecret.bytes);
  return {
    secret,
    otpSecret,
    hmac: (algorithm, _key, message) => createHmac(algorithm, key).update(message).digest(),
    recent: new Map(),
  };
}

/**
 * The code for a moment. TOTP and Steam use `timeMs` (or `counter` as the time step itself);
 * HOTP uses the `counter` given, or params.counter when given a time.
 */
export function generateCode(params: OtpParams, at: CodeMoment): string {
  return codeAt(prepareSecret(params.secret), params, at);
}

/** The code to show now. HOTP codes have no validity span: they last until used. */
export function currentCode(params: OtpParams, nowMs: number): CodeWithValidity {
  return codeInWindow(prepareSecret(params.secret), params, nowMs, 0);
}

/** The code after the current one: the next period's, or for HOTP the next counter's. */
export function nextCode(params: OtpParams, nowMs: number): CodeWithValidity {
  return codeInWindow(prepareSecret(params.secret), params, nowMs, 1);
}

/**
 * Checks a code someone typed (spaces ignored; Steam codes case-insensitive). `delta` says where
 * it matched: periods from now for TOTP/Steam, counters past params.counter for HOTP.
 */
export function verifyCode(params: OtpParams, code: string, options: VerifyOptions): VerifyResult {
  const prepared = prepareSecret(params.secret);
  const isHotp = params.type === 'hotp';
  const window = options.window ?? (isHotp ? DEFAULT_HOTP_LOOK_AHEAD : DEFAULT_TOTP_WINDOW);
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`verifyCode: window must be an integer from 0 to ${MAX_WINDOW}`);
  }
  let typed = code.replace(/\s+/g, '');
  if (params.type === 'steam') typed = typed.toUpperCase();
  const typedBytes = Buffer.from(typed, 'utf8');

  const base = isHotp ? params.counter : timeStep(options.nowMs, params.period);
  // HOTP only looks ahead (a used counter never comes back); TOTP looks both ways, nearest first.
  const deltas: number[] = [0];
  for (let step = 1; step <= window; step++) {
    if (isHotp) deltas.push(step);
    else deltas.push(-step, step);
  }
  let match: number | undefined;
  for (const delta of deltas) {
    const counter = base + delta;
    if (counter < 0 || counter > Number.MAX_SAFE_INTEGER) continue;
    const expected = Buffer.from(codeForCounter(prepared, params, counter), 'utf8');
    // Compare every candidate, in constant time, so timing says nothing about which one matched.
    const equal = expected.length === typedBytes.length && timingSafeEqual(expected, typedBytes);
    if (equal && match === undefined) match = delta;
  }
  return match === undefined ? { valid: false } : { valid: true, delta: match };
}

/**
 * Keeps each account's decoded secret so that refreshing many codes does no base32 decoding
 * or key setup. Entries are keyed by account id and replaced when the secret changes; call
 * clear() when the vault locks so no decoded secret outlives it.
 */
export interface CodeCache {
  generate(id: string, params: OtpParams, at: CodeMoment): string;
  current(id: string, params: OtpParams, nowMs: number): CodeWithValidity;
  next(id: string, params: OtpParams, nowMs: number): CodeWithValidity;
  forget(id: string): void;
  clear(): void;
  readonly size: number;
}

export function createCodeCache(): CodeCache {
  const prepared = new Map<string, PreparedSecret>();
  const lookup = (id: string, secret: string): PreparedSecret => {
    const existing = prepared.get(id);
    if (existing !== undefined && existing.secret === secret) return existing;
    const fresh = prepareSecret(secret);
    prepared.set(id, fresh);
    return fresh;
  };
  return {
    generate: (id, params, at) => codeAt(lookup(id, params.secret), params, at),
    current: (id, params, nowMs) => codeInWindow(lookup(id, params.secret), params, nowMs, 0),
    next: (id, params, nowMs) => codeInWindow(lookup(id, params.secret), params, nowMs, 1),
    forget: (id) => void prepared.delete(id),
    clear: () => prepared.clear(),
    get size() {
      return prepared.size;
    },
  };
}

/** RFC 6238's T: whole periods since the unix epoch. */
export function timeStep(timeMs: number, periodSeconds: number): number {
  if (!Number.isFinite(timeMs) || timeMs < 0) {
    throw new RangeError(`A code's time must be a non-negative number of ms, got ${timeMs}`);
  }
  if (!Number.isInteger(periodSeconds) || periodSeconds < 1) {
    throw new RangeError(`A period must be a positive whole number of seconds`);
  }
  return Math.floor(timeMs / (periodSeconds * 1000));
}

function codeAt(prepared: PreparedSecret, params: OtpParams, at: CodeMoment): string {
  let counter: number;
  if ('counter' in at) counter = at.counter;
  else if (params.type === 'hotp') counter = params.counter;
  else counter = timeStep(at.timeMs, params.period);
  return codeForCounter(prepared, params, counter);
}

function codeInWindow(
  prepared: PreparedSecret,
  params: OtpParams,
  nowMs: number,
  offset: 0 | 1,
): CodeWithValidity {
  if (params.type === 'hotp') {
    return { code: codeForCounter(prepared, params, params.counter + offset) };
  }
  const periodMs = params.period * 1000;
  const step = timeStep(nowMs, params.period) + offset;
  const validFrom = step * periodMs;
  return {
    code: codeForCounter(prepared, params, step),
    validFrom,
    validUntil: validFrom + periodMs,
  };
}

function codeForCounter(prepared: PreparedSecret, params: OtpParams, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError(`A counter must be a whole number from 0 to 2^53-1, got ${counter}`);
  }
  const key = `${params.type}:${params.algorithm}:${params.digits}:${counter}`;
  const known = prepared.recent.get(key);
  if (known !== undefined) return known;
  const code =
    params.type === 'steam'
      ? steamCode(prepared, counter)
      : HOTP.generate({
          secret: prepared.otpSecret,
          algorithm: params.algorithm,
          digits: params.digits,
          counter,
          hmac: prepared.hmac,
        });
  if (prepared.recent.size >= RECENT_CODES_KEPT) {
    prepared.recent.delete(prepared.recent.keys().next().value!);
  }
  prepared.recent.set(key, code);
  return code;
}

/**
 * Steam Guard: RFC 4226's HMAC-SHA1 and dynamic truncation, then the 31-bit number written as
 * five characters of Steam's 26-letter alphabet, least significant first.
 */
function steamCode(prepared: PreparedSecret, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter % 2 ** 32, 4);
  const mac = prepared.hmac('sha1', prepared.otpSecret.bytes, message);
  const digest = Buffer.from(mac.buffer, mac.byteOffset, mac.byteLength);
  const offset = digest.readUInt8(digest.length - 1) & 0x0f;
  let value = digest.readUInt32BE(offset) & 0x7fffffff;
  let code = '';
  for (let i = 0; i < STEAM_DIGITS; i++) {
    code += STEAM_ALPHABET.charAt(value % STEAM_ALPHABET.length);
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}
