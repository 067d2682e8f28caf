import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Algorithm, OtpParams } from '../../../../shared/domain';
import { bytesToBase32 } from '../../../../main/core/otp/base32';
import {
  createCodeCache,
  currentCode,
  generateCode,
  nextCode,
  timeStep,
  verifyCode,
} from '../../../../main/core/otp/generate';
import { parseOtpauthUri } from '../../../../main/core/otp/otpauth-uri';
import {
  referenceBase32Decode,
  referenceHotp,
  referenceSteam,
  referenceTotp,
} from './reference-otp';

const ascii = (text: string): string => bytesToBase32(Buffer.from(text, 'ascii'));
const RFC_SEED_20 = ascii('12345678901234567890');
const RFC_SEED_32 = ascii('12345678901234567890123456789012');
const RFC_SEED_64 = ascii('1234567890123456789012345678901234567890123456789012345678901234');

function totp(overrides: Partial<OtpParams>): OtpParams {
  return {
    type: 'totp',
    issuer: '',
    account: '',
    secret: RFC_SEED_20,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    ...overrides,
  };
}

describe('RFC 4226 appendix D (HOTP, SHA1, seed "12345678901234567890")', () => {
  const sixDigit = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  // The appendix's "truncated" decimal column: the whole 31-bit value, i.e. a 10-digit code.
  const truncated = [
    1284755224, 1094287082, 137359152, 1726969429, 1640338314, 868254676, 1918287922, 82162583,
    673399871, 645520489,
  ];

  it.each(sixDigit.map((code, counter) => [counter, code]))('counter %i → %s', (counter, code) => {
    const params = totp({ type: 'hotp', counter: counter as number });
    expect(generateCode(params, { timeMs: 0 })).toBe(code);
    expect(generateCode(totp({ type: 'hotp' }), { counter: counter as number })).toBe(code);
  });

  it.each(truncated.map((value, counter) => [counter, value]))(
    'counter %i as a 10-digit code is the zero-padded truncated value %i',
    (counter, value) => {
      const params = totp({ type: 'hotp', digits: 10, counter: counter as number });
      expect(generateCode(params, { timeMs: 0 })).toBe(String(value).padStart(10, '0'));
    },
  );
});

describe('RFC 6238 appendix B (TOTP, 8 digits, period 30)', () => {
  const rows: Array<[number, string, string, string]> = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  const seeds: Record<Algorithm, string> = {
    SHA1: RFC_SEED_20,
    SHA256: RFC_SEED_32,
    SHA512: RFC_SEED_64,
  };
  const cases = rows.flatMap(([seconds, sha1, sha256, sha512]) => [
    [seconds, 'SHA1', sha1] as const,
    [seconds, 'SHA256', sha256] as const,
    [seconds, 'SHA512', sha512] as const,
  ]);

  it.each(cases)('T=%i %s → %s', (seconds, algorithm, code) => {
    const params = totp({ algorithm, secret: seeds[algorithm], digits: 8 });
    expect(generateCode(params, { timeMs: seconds * 1000 })).toBe(code);
    expect(currentCode(params, seconds * 1000 + 999).code).toBe(code);
  });
});

describe('Steam Guard', () => {
  // From KeePassXC's tests (tests/TestTotp.cpp), whose values were read off the Steam app.
  const keepassxcSecret = '63BEDWCQZKTQWPESARIERL5DTTQFCJTK';
  const steam = totp({ type: 'steam', secret: keepassxcSecret, digits: 5 });

  it.each([
    [1511200518, 'FR8RV'],
    [1511200714, '9P3VP'],
  ])('KeePassXC vector: T=%i → %s', (seconds, code) => {
    expect(generateCode(steam, { timeMs: seconds * 1000 })).toBe(code);
    expect(referenceSteam(referenceBase32Decode(keepassxcSecret), seconds)).toBe(code);
  });

  it('reads the KeePassXC link (encoder=steam) into a working Steam account', () => {
    const parsed = parseOtpauthUri(
      'otpauth://totp/test:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK' +
        '&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam',
    );
    expect(parsed.type).toBe('steam');
    expect(generateCode(parsed, { timeMs: 1511200518_000 })).toBe('FR8RV');
  });

  it('matches an independent implementation for arbitrary keys and times', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 64 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (key, seconds) => {
          const params = totp({ type: 'steam', secret: bytesToBase32(key), digits: 5 });
          const code = generateCode(params, { timeMs: seconds * 1000 });
          expect(code).toBe(referenceSteam(Buffer.from(key), seconds));
          expect(code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
        },
      ),
    );
  });

  it('ignores digits and algorithm: Steam is always HMAC-SHA1 and 5 characters', () => {
    const odd = { ...steam, digits: 8, algorithm: 'SHA512' as const };
    expect(generateCode(odd, { timeMs: 1511200518_000 })).toBe('FR8RV');
  });
});

describe('digits and periods', () => {
  const key = referenceBase32Decode('JBSWY3DPEHPK3PXP');
  const seconds = [0, 1, 29, 30, 59, 1_700_000_000, 1_700_000_017, 4_102_444_800];

  it.each([6, 7, 8, 9, 10])('%i-digit codes match the reference and have that length', (digits) => {
    for (const t of seconds) {
      const code = generateCode(totp({ secret: 'JBSWY3DPEHPK3PXP', digits }), { timeMs: t * 1000 });
      expect(code).toHaveLength(digits);
      expect(code).toBe(referenceTotp(key, 'sha1', digits, 30, t));
    }
  });

  it.each([1, 15, 30, 60, 3600])(
    'period %is changes code exactly at period boundaries',
    (period) => {
      const params = totp({ secret: 'JBSWY3DPEHPK3PXP', period });
      for (const t of seconds) {
        const ms = t * 1000;
        expect(generateCode(params, { timeMs: ms })).toBe(referenceTotp(key, 'sha1', 6, period, t));
        const { validFrom, validUntil } = currentCode(params, ms);
        expect(validFrom).toBe(Math.floor(t / period) * period * 1000);
        expect(validUntil).toBe((validFrom ?? 0) + period * 1000);
        // The last millisecond of the period still shows the same code; the next one does not.
        expect(generateCode(params, { timeMs: (validUntil ?? 0) - 1 })).toBe(
          currentCode(params, ms).code,
        );
        expect(generateCode(params, { timeMs: validUntil ?? 0 })).toBe(nextCode(params, ms).code);
      }
    },
  );

  it('matches the reference for arbitrary keys, algorithms, digits, periods and times', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.constantFrom('SHA1', 'SHA256', 'SHA512'),
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 2 ** 42 }),
        (bytes, algorithm, digits, period, seconds) => {
          const params = totp({ secret: bytesToBase32(bytes), algorithm, digits, period });
          expect(generateCode(params, { timeMs: seconds * 1000 })).toBe(
            referenceTotp(Buffer.from(bytes), algorithm, digits, period, seconds),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the seed example link', () => {
  it('computes the same code as an independent HMAC at a fixed time', () => {
    const params = parseOtpauthUri(
      'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App',
    );
    const at = Date.UTC(2024, 0, 15, 12, 0, 7);
    const expected = referenceTotp(
      referenceBase32Decode('S3K3TPI5MYA2M67V'),
      'sha1',
      6,
      30,
      at / 1000,
    );
    expect(generateCode(params, { timeMs: at })).toBe(expected);
    expect(currentCode(params, at)).toEqual({
      code: expected,
      validFrom: Date.UTC(2024, 0, 15, 12, 0, 0),
      validUntil: Date.UTC(2024, 0, 15, 12, 0, 30),
    });
  });
});

describe('currentCode and nextCode', () => {
  it('gives the following period for TOTP', () => {
    const params = totp({});
    const now = 1_000_000_000_123;
    const next = nextCode(params, now);
    expect(next.code).toBe(generateCode(params, { timeMs: now + 30_000 }));
    expect(next.validFrom).toBe(currentCode(params, now).validUntil);
    expect(next.validUntil).toBe((next.validFrom ?? 0) + 30_000);
  });

  it('gives the code for params.counter, and then counter + 1, for HOTP with no validity', () => {
    const params = totp({ type: 'hotp', counter: 3 });
    expect(currentCode(params, 123)).toEqual({ code: '969429' });
    expect(nextCode(params, 123)).toEqual({ code: '338314' });
  });

  it('refuses negative or non-finite times and counters rather than computing garbage', () => {
    expect(() => currentCode(totp({}), -1)).toThrow(RangeError);
    expect(() => generateCode(totp({}), { timeMs: Number.NaN })).toThrow(RangeError);
    expect(() => generateCode(totp({ type: 'hotp' }), { counter: -1 })).toThrow(RangeError);
    expect(() => generateCode(totp({ type: 'hotp' }), { counter: 0.5 })).toThrow(RangeError);
    expect(() => timeStep(0, 0)).toThrow(RangeError);
  });

  it('handles the largest counter HOTP allows', () => {
    const counter = Number.MAX_SAFE_INTEGER;
    const code = generateCode(totp({ type: 'hotp', counter }), { timeMs: 0 });
    expect(code).toBe(referenceHotp(referenceBase32Decode(RFC_SEED_20), 'sha1', 6, counter));
  });
});

describe('verifyCode', () => {
  const params = totp({ digits: 8 });
  const at = 1111111111_000; // RFC 6238: 14050471; previous period 07081804.

  it('accepts the current code with delta 0, ignoring spaces', () => {
    expect(verifyCode(params, '14050471', { nowMs: at })).toEqual({ valid: true, delta: 0 });
    expect(verifyCode(params, ' 1405 0471 ', { nowMs: at })).toEqual({ valid: true, delta: 0 });
  });

  it('accepts neighbouring periods within the window (default 1) and says which', () => {
    expect(verifyCode(params, '07081804', { nowMs: at })).toEqual({ valid: true, delta: -1 });
    const next = generateCode(params, { timeMs: at + 30_000 });
    expect(verifyCode(params, next, { nowMs: at })).toEqual({ valid: true, delta: 1 });
    const later = generateCode(params, { timeMs: at + 60_000 });
    expect(verifyCode(params, later, { nowMs: at })).toEqual({ valid: false });
    expect(verifyCode(params, later, { nowMs: at, window: 2 })).toEqual({ valid: true, delta: 2 });
    expect(verifyCode(params, '07081804', { nowMs: at, window: 0 })).toEqual({ valid: false });
  });

  it('rejects wrong codes and codes of the wrong length without throwing', () => {
    expect(verifyCode(params, '14050472', { nowMs: at })).toEqual({ valid: false });
    expect(verifyCode(params, '1405047', { nowMs: at })).toEqual({ valid: false });
    expect(verifyCode(params, '', { nowMs: at })).toEqual({ valid: false });
    expect(verifyCode(params, '१४०५०४७१', { nowMs: at })).toEqual({ valid: false });
  });

  it('skips periods before the epoch instead of failing', () => {
    const first = generateCode(params, { timeMs: 0 });
    expect(verifyCode(params, first, { nowMs: 5, window: 3 })).toEqual({ valid: true, delta: 0 });
  });

  it('looks ahead from the counter for HOTP (0-based delta; default look-ahead 10)', () => {
    const hotp = totp({ type: 'hotp', counter: 2 });
    expect(verifyCode(hotp, '359152', { nowMs: 0 })).toEqual({ valid: true, delta: 0 });
    expect(verifyCode(hotp, '520489', { nowMs: 0 })).toEqual({ valid: true, delta: 7 });
    expect(verifyCode(hotp, '287082', { nowMs: 0 })).toEqual({ valid: false }); // counter 1: used
    expect(verifyCode(hotp, '969429', { nowMs: 0, window: 0 })).toEqual({ valid: false });
    expect(verifyCode(hotp, '969429', { nowMs: 0, window: 1 })).toEqual({ valid: true, delta: 1 });
  });

  it('accepts Steam codes in any case', () => {
    const steam = totp({ type: 'steam', secret: '63BEDWCQZKTQWPESARIERL5DTTQFCJTK', digits: 5 });
    expect(verifyCode(steam, 'fr8rv', { nowMs: 1511200518_000 })).toEqual({
      valid: true,
      delta: 0,
    });
  });

  it('refuses a nonsensical window', () => {
    expect(() => verifyCode(params, '14050471', { nowMs: at, window: -1 })).toThrow(RangeError);
    expect(() => verifyCode(params, '14050471', { nowMs: at, window: 1.5 })).toThrow(RangeError);
  });
});

describe('createCodeCache', () => {
  it('gives the same codes as the uncached functions', () => {
    const cache = createCodeCache();
    const params = totp({ algorithm: 'SHA256', secret: RFC_SEED_32, digits: 8 });
    expect(cache.generate('a', params, { timeMs: 59_000 })).toBe('46119246');
    expect(cache.current('a', params, 59_000)).toEqual(currentCode(params, 59_000));
    expect(cache.next('a', params, 59_000)).toEqual(nextCode(params, 59_000));
    expect(cache.size).toBe(1);
  });

  it('notices when an account’s secret changes', () => {
    const cache = createCodeCache();
    const before = totp({ digits: 8 });
    const after = totp({ digits: 8, secret: RFC_SEED_64 });
    expect(cache.generate('a', before, { timeMs: 59_000 })).toBe('94287082');
    expect(cache.generate('a', after, { timeMs: 59_000 })).toBe(
      referenceTotp(referenceBase32Decode(RFC_SEED_64), 'sha1', 8, 30, 59),
    );
    expect(cache.size).toBe(1);
  });

  it('forgets one account or all of them', () => {
    const cache = createCodeCache();
    cache.generate('a', totp({}), { timeMs: 0 });
    cache.generate('b', totp({}), { timeMs: 0 });
    cache.forget('a');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
