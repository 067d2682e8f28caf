/**
 * A deliberately separate, minimal HOTP/Steam implementation for the tests to check the engine
 * against: straight from RFC 4648 §6, RFC 4226 §5.3 and the Steam Guard description, sharing no
 * code with main/core/otp (no otpauth package, no KeyObject cache).
 */
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function referenceBase32Decode(base32: string): Buffer {
  let bits = '';
  for (const character of base32) {
    const index = ALPHABET.indexOf(character);
    if (index < 0) throw new Error(`not base32: ${character}`);
    bits += index.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function truncatedValue(key: Buffer, algorithm: string, counter: number): number {
  const message = Buffer.from(BigInt(counter).toString(16).padStart(16, '0'), 'hex');
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  return (
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0)
  );
}

export function referenceHotp(key: Buffer, algorithm: string, digits: number, counter: number) {
  const value = BigInt(truncatedValue(key, algorithm, counter)) % 10n ** BigInt(digits);
  return value.toString().padStart(digits, '0');
}

export function referenceTotp(
  key: Buffer,
  algorithm: string,
  digits: number,
  periodSeconds: number,
  unixSeconds: number,
) {
  return referenceHotp(key, algorithm, digits, Math.floor(unixSeconds / periodSeconds));
}

export function referenceSteam(key: Buffer, unixSeconds: number): string {
  let value = truncatedValue(key, 'sha1', Math.floor(unixSeconds / 30));
  const alphabet = '23456789BCDFGHJKMNPQRTVWXY';
  let code = '';
  for (let i = 0; i < 5; i++) {
    code += alphabet[value % 26];
    value = Math.floor(value / 26);
  }
  return code;
}
