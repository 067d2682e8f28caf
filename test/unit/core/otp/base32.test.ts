import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ChronokeyError } from '../../../../shared/errors';
import {
  base32ToBytes,
  bytesToBase32,
  normalizeBase32Secret,
  randomSecret,
} from '../../../../main/core/otp/base32';
import { Secret } from 'otpauth';
import { referenceBase32Decode } from './reference-otp';

function errorOf(action: () => unknown): ChronokeyError {
  try {
    action();
  } catch (error) {
    if (error instanceof ChronokeyError) return error;
    throw error;
  }
  throw new Error('expected a ChronokeyError');
}

describe('normalizeBase32Secret', () => {
  it.each([
    ['JBSWY3DPEHPK3PXP', 'JBSWY3DPEHPK3PXP'],
    ['jbswy3dpehpk3pxp', 'JBSWY3DPEHPK3PXP'],
    ['jbsw y3dp ehpk 3pxp', 'JBSWY3DPEHPK3PXP'],
    ['JBSW-Y3DP-EHPK-3PXP', 'JBSWY3DPEHPK3PXP'],
    ['\tJBSWY3DP\tEHPK3PXP\n', 'JBSWY3DPEHPK3PXP'],
    ['MZXW6===', 'MZXW6'],
    ['MZXW6 = = =', 'MZXW6'],
    ['mzxw6yq=', 'MZXW6YQ'],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'],
  ])('%j → %s', (raw, normalized) => {
    expect(normalizeBase32Secret(raw)).toBe(normalized);
  });

  it.each(['', '   ', '-- --', '====', '\t\n'])('%j is SECRET_EMPTY', (raw) => {
    expect(errorOf(() => normalizeBase32Secret(raw)).code).toBe('SECRET_EMPTY');
  });

  it.each([
    ['JBSWY3DP0HPK', '"0"', 'letter O'],
    ['JBSWY1DP', '"1"', 'letter I'],
    ['JBSW8', '"8"', 'letter B'],
    ['JBSW!Y3DP', '"!"', undefined],
    ['JBSW=Y3DP', '"="', undefined],
    ['JBSWÉY3DP', '"É"', undefined],
    ['JBSW\u200BY3DP', 'U+200B', undefined],
  ])('%j is SECRET_INVALID naming %s', (raw, named, hint) => {
    const error = errorOf(() => normalizeBase32Secret(raw));
    expect(error.code).toBe('SECRET_INVALID');
    expect(error.message).toContain(named);
    if (hint !== undefined) expect(error.message).toContain(hint);
  });

  it('rejects a single character, which decodes to no bytes at all', () => {
    expect(errorOf(() => normalizeBase32Secret('A=======')).code).toBe('SECRET_INVALID');
    expect(normalizeBase32Secret('AA')).toBe('AA');
  });

  it('rejects secrets longer than the domain allows (1024 characters)', () => {
    expect(normalizeBase32Secret('A'.repeat(1024))).toHaveLength(1024);
    expect(errorOf(() => normalizeBase32Secret('A'.repeat(1025))).code).toBe('SECRET_TOO_LONG');
  });
});

describe('base32ToBytes / bytesToBase32 (RFC 4648)', () => {
  // RFC 4648 §10 test vectors, without the padding otpauth links omit.
  it.each([
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%s ↔ %s', (text, base32) => {
    expect(bytesToBase32(Buffer.from(text))).toBe(base32);
    expect(Buffer.from(base32ToBytes(base32)).toString()).toBe(text);
    expect(Buffer.from(base32ToBytes(`${base32.toLowerCase()}===`)).toString()).toBe(text);
  });

  it('encodes the empty byte string as the empty string', () => {
    expect(bytesToBase32(new Uint8Array(0))).toBe('');
  });

  it('decodes lengths that are not whole bytes by dropping the leftover bits', () => {
    // 3 characters = 15 bits: one byte and 7 spare bits, as every RFC 4648 decoder reads it.
    expect(Array.from(base32ToBytes('MZX'))).toEqual([0x66]);
    expect(Array.from(base32ToBytes('MZXW6Y'))).toEqual(Array.from(Buffer.from('foo')));
  });

  it('decodes every base32 string of any length exactly as otpauth does', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split('');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { minLength: 2, maxLength: 130 }),
        (characters) => {
          const base32 = characters.join('');
          const ours = Array.from(base32ToBytes(base32));
          expect(ours).toEqual(Array.from(Secret.fromBase32(base32).bytes));
          expect(ours).toEqual(Array.from(referenceBase32Decode(base32)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips arbitrary bytes and matches an independent decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const base32 = bytesToBase32(bytes);
        expect(base32).toMatch(/^[A-Z2-7]+$/);
        expect(base32).toHaveLength(Math.ceil((bytes.length * 8) / 5));
        expect(Array.from(base32ToBytes(base32))).toEqual(Array.from(bytes));
        expect(Array.from(referenceBase32Decode(base32))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('does not read outside a Buffer that is a view into a larger pool', () => {
    const pooled = Buffer.from('foo');
    expect(pooled.buffer.byteLength).toBeGreaterThan(3);
    expect(bytesToBase32(pooled)).toBe('MZXW6');
  });
});

describe('randomSecret', () => {
  it('is 20 random bytes (32 base32 characters) by default', () => {
    const secret = randomSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32ToBytes(secret)).toHaveLength(20);
    expect(randomSecret()).not.toBe(secret);
  });

  it('encodes exactly the bytes the random source gives', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    expect(randomSecret(32, () => bytes)).toBe(bytesToBase32(bytes));
  });

  it('refuses secrets below RFC 4226’s 128-bit minimum and broken random sources', () => {
    expect(() => randomSecret(15)).toThrow(RangeError);
    expect(() => randomSecret(20.5)).toThrow(RangeError);
    expect(() => randomSecret(20, () => new Uint8Array(10))).toThrow(RangeError);
  });
});
