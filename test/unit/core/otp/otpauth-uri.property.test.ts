import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { OtpParams } from '../../../../shared/domain';
import { AccountWarning, OtpParams as OtpParamsSchema } from '../../../../shared/domain';
import { ChronokeyError } from '../../../../shared/errors';
import { bytesToBase32 } from '../../../../main/core/otp/base32';
import { formatOtpauthUri, parseOtpauthUri } from '../../../../main/core/otp/otpauth-uri';
import type { ParsedOtpauth } from '../../../../main/core/otp/otpauth-uri';

/**
 * Parses, insisting that the only thing it may throw is a ChronokeyError. No stopwatch (these
 * machines are shared and noisy): a pathological regex would run past vitest's timeout instead.
 */
function parseOrChronokeyError(text: string): ParsedOtpauth | ChronokeyError {
  try {
    const parsed = parseOtpauthUri(text);
    expect(OtpParamsSchema.safeParse(parsed).success).toBe(true);
    for (const warning of parsed.warnings) {
      expect(AccountWarning.safeParse(warning).success).toBe(true);
    }
    return parsed;
  } catch (error) {
    expect(error).toBeInstanceOf(ChronokeyError);
    return error as ChronokeyError;
  }
}

/** Characters that matter to the parser, so random text hits its edges often. */
const uriCharacter = fc.constantFrom(
  ...':/?#&=%+ -.@'.split(''),
  ...'3aAfF0E9C'.split(''),
  'secret=',
  'issuer=',
  'digits=',
  'period=',
  'counter=',
  'algorithm=',
  'encoder=steam',
  'JBSWY3DP',
  '%3A',
  '%E6%97',
  '%C3%A9',
  '%F0%9F%A6%8A',
  'é',
  '🦊',
  '\uD800',
  '\t',
  '\n',
);
const uriLikeTail = fc.array(uriCharacter, { maxLength: 80 }).map((parts) => parts.join(''));

describe('parseOtpauthUri never fails in an unexpected way', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        parseOrChronokeyError(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary strings after otpauth://totp/', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        parseOrChronokeyError(`otpauth://totp/${text}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('on URI-shaped noise after any type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('totp', 'hotp', 'steam', 'TOTP', 'x', ''),
        uriLikeTail,
        uriLikeTail,
        (type, label, query) => {
          parseOrChronokeyError(`otpauth://${type}/${label}?${query}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on large adversarial inputs', () => {
    const inputs = [
      `otpauth://totp/${'%E6'.repeat(20_000)}?secret=JBSWY3DPEHPK3PXP`,
      `otpauth://totp/${':'.repeat(60_000)}?secret=JBSWY3DPEHPK3PXP`,
      `otpauth://totp/x?${'a=b&'.repeat(16_000)}secret=JBSWY3DPEHPK3PXP`,
      `otpauth://totp/x?secret=${'A '.repeat(30_000)}`,
      `otpauth://${'/'.repeat(65_000)}`,
      'otpauth://'.repeat(6_500),
    ];
    for (const input of inputs) {
      expect(input.length).toBeLessThanOrEqual(64 * 1024);
      parseOrChronokeyError(input);
    }
  });
});

/** Names as a person might type them: trimmed, and rich in characters that need escaping. */
const name = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(fc.constantFrom(...':%?#&+= /@'.split(''), '%3A', 'a', 'Z', '3', 'é', '日', '🦊'), {
        maxLength: 20,
      })
      .map((parts) => parts.join('')),
  )
  .map((text) => text.trim());

const base32Secret = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map(bytesToBase32),
  // Lengths that are not a whole number of bytes still survive the trip unchanged.
  fc.stringMatching(/^[A-Z2-7]{2,100}$/),
);

/** Every valid OtpParams in canonical form (the form the parser produces for its type). */
const validParams: fc.Arbitrary<OtpParams> = fc
  .record({
    type: fc.constantFrom('totp', 'hotp', 'steam'),
    issuer: name,
    account: name,
    secret: base32Secret,
    algorithm: fc.constantFrom('SHA1', 'SHA256', 'SHA512'),
    digits: fc.integer({ min: 6, max: 10 }),
    period: fc.oneof(
      fc.constantFrom(1, 15, 30, 60, 3600),
      fc.integer({ min: 1, max: 2_147_483_647 }),
    ),
    counter: fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER), fc.maxSafeNat()),
  })
  .map((params): OtpParams => {
    if (params.type === 'steam') return { ...params, algorithm: 'SHA1', digits: 5, counter: 0 };
    if (params.type === 'totp') return { ...params, counter: 0 };
    return { ...params, period: 30 };
  });

describe('formatOtpauthUri and parseOtpauthUri', () => {
  it('round-trip every valid set of parameters, without warnings', () => {
    fc.assert(
      fc.property(validParams, (params) => {
        expect(OtpParamsSchema.safeParse(params).success).toBe(true);
        expect(parseOtpauthUri(formatOtpauthUri(params))).toEqual({ ...params, warnings: [] });
      }),
      { numRuns: 2000 },
    );
  });

  it('reach a fixed point: whatever parses, formats and parses back the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('totp', 'hotp', 'steam'),
        uriLikeTail,
        uriLikeTail,
        (type, label, query) => {
          const parsed = parseOrChronokeyError(
            `otpauth://${type}/${label}?secret=JBSWY3DP&counter=5&${query}`,
          );
          if (parsed instanceof ChronokeyError) return;
          const { warnings: _warnings, ...params } = parsed;
          expect(parseOtpauthUri(formatOtpauthUri(params))).toEqual({ ...params, warnings: [] });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
