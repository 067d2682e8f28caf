import { randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import { ChronokeyError } from '../../../shared/errors';

/** RFC 4648 base32 alphabet: the only characters a normalised secret may contain. */
const BASE32_CHARACTER = /^[A-Z2-7]$/;
/** Digits base32 leaves out because they look like letters; people mistype them. */
const LOOKALIKES: Partial<Record<string, string>> = {
  '0': ' Perhaps it is the letter O?',
  '1': ' Perhaps it is the letter I or L?',
  '8': ' Perhaps it is the letter B?',
};
/** Matches OtpParams.secret's limit, so a normalised secret always fits the domain schema. */
export const MAX_SECRET_LENGTH = 1024;

/**
 * Turns a secret as people type or paste it into canonical base32: upper case, without the
 * spaces, tabs, line breaks and dashes sites add for readability, and without `=` padding.
 */
export function normalizeBase32Secret(raw: string): string {
  const secret = raw
    .replace(/[\s-]+/g, '')
    .toUpperCase()
    .replace(/=+$/, '');
  if (secret.length === 0) {
    throw new ChronokeyError(
      'SECRET_EMPTY',
      'The secret key is empty. Copy the whole key from the site and try again.',
    );
  }
  for (const character of secret) {
    if (!BASE32_CHARACTER.test(character)) {
      throw new ChronokeyError(
        'SECRET_INVALID',
        `The secret key contains ${describeCharacter(character)}, which is not allowed: ` +
          'keys use only the letters A to Z and the digits 2 to 7.' +
          (LOOKALIKES[character] ?? '') +
          ' Check the key and try again.',
      );
    }
  }
  // One character carries 5 bits, not enough for a single byte: nothing to compute codes with.
  if (secret.length < 2) {
    throw new ChronokeyError(
      'SECRET_INVALID',
      'The secret key is too short to be a real key. Copy the whole key and try again.',
    );
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new ChronokeyError(
      'SECRET_TOO_LONG',
      `The secret key is longer than ${MAX_SECRET_LENGTH} characters, which no real key is. ` +
        'Check that only the key was copied.',
    );
  }
  return secret;
}

/**
 * Decodes base32 (normalising it first) into bytes. A length that is not a whole number of
 * bytes drops its trailing bits, as RFC 4648 decoders and the otpauth package do.
 */
export function base32ToBytes(base32: string): Uint8Array {
  const normalized = normalizeBase32Secret(base32);
  // A table-driven RFC 4648 decoder: unlocking a vault decodes every secret at once, and this
  // is several times faster than going through otpauth's Secret (the tests hold the two equal).
  const bytes = new Uint8Array(Math.floor((normalized.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < normalized.length; i++) {
    buffer = ((buffer << 5) | BASE32_VALUES[normalized.charCodeAt(i)]!) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >>> bits) & 0xff;
    }
  }
  return bytes;
}

/** Each base32 character's value, by character code (normalised input holds only A-Z2-7). */
const BASE32_VALUES: readonly number[] = (() => {
  const values = new Array<number>(128).fill(0);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  return values;
})();

/** Encodes bytes as RFC 4648 base32 without padding, the form otpauth:// links use. */
export function bytesToBase32(bytes: Uint8Array): string {
  // Copy into an ArrayBuffer of exactly this length: a Buffer is often a view into a larger
  // pool, and Buffer#slice does not copy.
  return new Secret({ buffer: new Uint8Array(bytes).buffer }).base32;
}

/**
 * A new random secret in base32. 20 bytes (160 bits) is what RFC 4226 recommends; fewer than
 * 16 (its 128-bit minimum) is refused.
 */
export function randomSecret(
  bytes = 20,
  random: (size: number) => Uint8Array = randomBytes,
): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 128) {
    throw new RangeError(`randomSecret: bytes must be an integer from 16 to 128, got ${bytes}`);
  }
  const generated = random(bytes);
  if (generated.length !== bytes) {
    throw new RangeError(`randomSecret: the random source returned ${generated.length} bytes`);
  }
  return bytesToBase32(generated);
}

/** Names a character so a person can find it, even when it is invisible. */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? `"${character}"` : `the character ${name}`;
}
