import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtpParams } from '../../../../../shared/domain';
import { ChronokeyError } from '../../../../../shared/errors';
import {
  LEGACY_HEADER,
  STRONG_HEADER,
  authenticatorProFormat,
} from '../../../../../main/core/import/formats/authenticator-pro';
import type { DecodedSource, SniffedInput } from '../../../../../main/core/import/types';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/import/authenticator-pro');

/** The input as the pipeline hands it over: bytes, UTF-8 text if valid, JSON if it parses. */
function sniff(name: string, bytes: Uint8Array): SniffedInput {
  let text: string | null = null;
  let json: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { name, bytes, text, json };
}

const readBytes = (file: string): Uint8Array =>
  new Uint8Array(readFileSync(path.join(FIXTURES, file)));
const fixture = (file: string): SniffedInput => sniff(file, readBytes(file));

interface Expected {
  format: string;
  password?: string;
  accounts: unknown[];
  skipped: unknown[];
}

function expected(file: string): Expected {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Expected;
}

function summarize(source: DecodedSource): Omit<Expected, 'password'> {
  return {
    format: source.format,
    accounts: source.entries.map((entry) => ({
      ...entry.params,
      tags: entry.tags,
      favourite: entry.favourite,
      defaulted: entry.defaulted,
    })),
    skipped: source.skipped.map(({ name, code }) => ({ name, code })),
  };
}

async function rejection(promise: Promise<unknown>): Promise<ChronokeyError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChronokeyError);
  return error as ChronokeyError;
}

describe('Authenticator Pro / Stratum backups', () => {
  it('reads the plain sample: categories become tags, mOTP and Yandex are listed as skipped', async () => {
    const input = fixture('plain.authpro');
    expect(authenticatorProFormat.detect(input)).toBe(true);
    expect(authenticatorProFormat.isEncrypted(input)).toBe(false);
    const source = await authenticatorProFormat.decode(input, {});
    const { password: _none, ...want } = expected('plain.expected.json');
    expect(summarize(source)).toEqual(want);
    for (const entry of source.entries)
      expect(OtpParams.safeParse(entry.params).success).toBe(true);
    expect(source.skipped.map((skip) => skip.message).join(' ')).toMatch(/mOTP.*Yandex/);
  });

  it.each([
    ['encrypted.authpro', 'encrypted.expected.json'],
    ['legacy.authpro', 'legacy.expected.json'],
  ])('reads the encrypted sample %s with its password', async (file, expectedFile) => {
    const input = fixture(file);
    expect(authenticatorProFormat.detect(input)).toBe(true);
    expect(authenticatorProFormat.isEncrypted(input)).toBe(true);
    const { password, ...want } = expected(expectedFile);
    const source = await authenticatorProFormat.decode(input, { password: password ?? '' });
    expect(source.label).toMatch(/encrypted/);
    expect(summarize(source)).toEqual(want);
  });

  it.each(['encrypted.authpro', 'legacy.authpro'])(
    '%s: asks for a password and says when it is wrong',
    async (file) => {
      const input = fixture(file);
      expect((await rejection(authenticatorProFormat.decode(input, {}))).code).toBe(
        'IMPORT_PASSWORD_REQUIRED',
      );
      const wrong = await rejection(authenticatorProFormat.decode(input, { password: 'nope' }));
      expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
      expect(wrong.message).toContain(file);
    },
  );

  it('calls truncated encrypted files damaged or wrong-password, naming them', async () => {
    const { password = '' } = expected('encrypted.expected.json');
    const strong = readBytes('encrypted.authpro');
    const headerOnly = sniff('short.authpro', strong.subarray(0, STRONG_HEADER.length + 20));
    const short = await rejection(authenticatorProFormat.decode(headerOnly, { password }));
    expect(short.code).toBe('IMPORT_MALFORMED');
    expect(short.message).toContain('short.authpro');
    const cut = sniff('cut.authpro', strong.subarray(0, strong.length - 7));
    expect((await rejection(authenticatorProFormat.decode(cut, { password }))).code).toBe(
      'IMPORT_WRONG_PASSWORD',
    );
    const legacy = readBytes('legacy.authpro');
    const legacyCut = sniff('cut-legacy.authpro', legacy.subarray(0, legacy.length - 5));
    expect((await rejection(authenticatorProFormat.decode(legacyCut, { password }))).code).toBe(
      'IMPORT_MALFORMED',
    );
  });

  it('tells the two headers apart by case and does not claim other content', () => {
    expect(STRONG_HEADER.toLowerCase()).toBe(LEGACY_HEADER.toLowerCase());
    for (const value of [
      {},
      [],
      { authenticators: [] },
      { db: {} },
      [{ secret: 'AB', label: 'x' }],
    ]) {
      expect(
        authenticatorProFormat.detect(sniff('x.json', Buffer.from(JSON.stringify(value)))),
      ).toBe(false);
    }
    expect(authenticatorProFormat.detect(sniff('x', Buffer.from('AuthenticatorPr')))).toBe(false);
    expect(authenticatorProFormat.detect(sniff('x', Buffer.from('authenticatorpro....')))).toBe(
      false,
    );
  });

  it('turns every malformed authenticator into a listed skip, never a crash (fuzz)', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -3, max: 12 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const authenticator = fc.record(
      {
        Type: fc.oneof(fc.integer({ min: 0, max: 6 }), field),
        Issuer: field,
        Username: field,
        Secret: fc.oneof(fc.constantFrom('JBSWY3DPEHPK3PXP', 'abc', ''), field),
        Algorithm: fc.oneof(fc.integer({ min: -1, max: 3 }), field),
        Digits: field,
        Period: field,
        Counter: field,
        Ranking: field,
      },
      { requiredKeys: [] },
    );
    const backup = fc.record({
      Authenticators: fc.array(fc.oneof(authenticator, field), { maxLength: 8 }),
      Categories: fc.oneof(
        fc.array(fc.record({ Id: field, Name: field }), { maxLength: 3 }),
        field,
      ),
      AuthenticatorCategories: fc.oneof(
        fc.array(fc.record({ CategoryId: field, AuthenticatorSecret: field }), { maxLength: 3 }),
        field,
      ),
    });
    await fc.assert(
      fc.asyncProperty(backup, async (value) => {
        const input = sniff('fuzz.authpro', Buffer.from(JSON.stringify(value)));
        expect(authenticatorProFormat.detect(input)).toBe(true);
        const source = await authenticatorProFormat.decode(input, {});
        expect(source.entries.length + source.skipped.length).toBe(value.Authenticators.length);
        for (const entry of source.entries)
          expect(OtpParams.safeParse(entry.params).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but a ChronokeyError on arbitrary bytes after a header (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(LEGACY_HEADER, LEGACY_HEADER, LEGACY_HEADER, STRONG_HEADER, ''),
        fc.uint8Array({ maxLength: 160 }),
        async (header, tail) => {
          const input = sniff('fuzz.authpro', Buffer.concat([Buffer.from(header), tail]));
          if (!authenticatorProFormat.detect(input)) return;
          try {
            await authenticatorProFormat.decode(input, { password: 'pw' });
          } catch (error) {
            expect(error).toBeInstanceOf(ChronokeyError);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
