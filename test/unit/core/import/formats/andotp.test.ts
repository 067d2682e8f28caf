import { createCipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtpParams } from '../../../../../shared/domain';
import { ChronokeyError } from '../../../../../shared/errors';
import { andOtpFormat } from '../../../../../main/core/import/formats/andotp';
import type { DecodedSource, SniffedInput } from '../../../../../main/core/import/types';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/import/andotp');

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

function fixture(file: string): SniffedInput {
  return sniff(file, readFileSync(path.join(FIXTURES, file)));
}

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

/** A new-format encrypted backup of `plaintext`, built from andOTP's documented layout. */
function encryptNew(plaintext: string, password: string, iterations = 1000): Uint8Array {
  const salt = randomBytes(12);
  const iv = randomBytes(12);
  const key = pbkdf2Sync(password, salt, iterations, 32, 'sha1');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(iterations);
  return Buffer.concat([header, salt, iv, sealed]);
}

describe('andOTP backups', () => {
  it('reads the plain sample backup', async () => {
    const input = fixture('plain.json');
    expect(andOtpFormat.detect(input)).toBe(true);
    expect(andOtpFormat.isEncrypted(input)).toBe(false);
    const source = await andOtpFormat.decode(input, {});
    const { password: _none, ...want } = expected('plain.expected.json');
    expect(summarize(source)).toEqual(want);
    for (const entry of source.entries)
      expect(OtpParams.safeParse(entry.params).success).toBe(true);
    expect(source.skipped[0]?.message).toMatch(/mOTP/);
  });

  it.each([
    ['encrypted.json.aes', 'encrypted.expected.json'],
    ['encrypted-old.json.aes', 'encrypted-old.expected.json'],
  ])('reads the encrypted sample %s with its password', async (file, expectedFile) => {
    const input = fixture(file);
    expect(input.text).toBeNull();
    expect(andOtpFormat.detect(input)).toBe(true);
    expect(andOtpFormat.isEncrypted(input)).toBe(true);
    const { password, ...want } = expected(expectedFile);
    const source = await andOtpFormat.decode(input, { password: password ?? '' });
    expect(source.label).toMatch(/encrypted/);
    expect(summarize(source)).toEqual(want);
  });

  it('asks for a password, and says when it is wrong', async () => {
    const input = fixture('encrypted.json.aes');
    expect((await rejection(andOtpFormat.decode(input, {}))).code).toBe('IMPORT_PASSWORD_REQUIRED');
    const wrong = await rejection(andOtpFormat.decode(input, { password: 'not it' }));
    expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
    expect(wrong.message).toContain('encrypted.json.aes');
  });

  it('calls a truncated or altered encrypted file wrong password or damaged, never a crash', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'encrypted.json.aes')));
    const { password = '' } = expected('encrypted.expected.json');
    const truncated = sniff('cut.aes', bytes.subarray(0, bytes.length - 40));
    expect((await rejection(andOtpFormat.decode(truncated, { password }))).code).toBe(
      'IMPORT_WRONG_PASSWORD',
    );
    const flipped = new Uint8Array(bytes);
    flipped[60] = (flipped[60] ?? 0) ^ 0x01;
    expect(
      (await rejection(andOtpFormat.decode(sniff('flip.aes', flipped), { password }))).code,
    ).toBe('IMPORT_WRONG_PASSWORD');
  });

  it('reports encrypted content that is not a list of accounts as malformed', async () => {
    const notJson = sniff('a.aes', encryptNew('this is not json', 'pw'));
    const error = await rejection(andOtpFormat.decode(notJson, { password: 'pw' }));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('a.aes');
    const object = sniff('b.aes', encryptNew('{"secret":"AB"}', 'pw'));
    expect((await rejection(andOtpFormat.decode(object, { password: 'pw' }))).code).toBe(
      'IMPORT_MALFORMED',
    );
  });

  it('decodes with the iteration count the file names (not a fixed one)', async () => {
    const plain = JSON.stringify([
      {
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        issuer: 'I',
        label: 'a',
        type: 'TOTP',
        period: 30,
        digits: 6,
        algorithm: 'SHA1',
      },
    ]);
    for (const iterations of [1000, 4321]) {
      const source = await andOtpFormat.decode(sniff('x', encryptNew(plain, 'pw', iterations)), {
        password: 'pw',
      });
      expect(source.entries).toHaveLength(1);
    }
  });

  it('old-format files open with the SHA-256 key', async () => {
    const plain = '[{"secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","label":"old","issuer":"Old"}]';
    const iv = Buffer.concat([Buffer.from([0, 2, 0x22, 0xe0]), randomBytes(8)]);
    const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update('pw').digest(), iv);
    const bytes = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const source = await andOtpFormat.decode(sniff('old.aes', bytes), { password: 'pw' });
    expect(source.entries[0]?.params.account).toBe('old');
  });

  it('does not claim other JSON or text', () => {
    for (const value of [
      {},
      [],
      [1, 2],
      [{ secret: 'AB' }],
      { db: { entries: [] } },
      { services: [] },
      [{ label: 'x' }],
    ]) {
      expect(andOtpFormat.detect(sniff('x.json', Buffer.from(JSON.stringify(value))))).toBe(false);
    }
    expect(andOtpFormat.detect(sniff('x.txt', Buffer.from('otpauth://totp/a?secret=AB')))).toBe(
      false,
    );
    // Binary whose first four bytes are no plausible iteration count.
    expect(
      andOtpFormat.detect(
        sniff('x.bin', Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), randomBytes(60)])),
      ),
    ).toBe(false);
  });

  it('turns every malformed account into a listed skip, never a crash (fuzz)', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    );
    const item = fc.record(
      {
        secret: fc.oneof(
          fc.constantFrom('JBSWY3DPEHPK3PXP', 'jbsw y3dp', '', '0189'),
          fc.string({ maxLength: 20 }),
        ),
        label: fc.oneof(fc.string({ maxLength: 10 }), field),
        issuer: field,
        type: fc.oneof(fc.constantFrom('TOTP', 'HOTP', 'STEAM', 'MOTP', 'totp'), field),
        digits: field,
        period: field,
        counter: field,
        algorithm: fc.oneof(fc.constantFrom('SHA1', 'SHA256', 'SHA512', 'MD5'), field),
        tags: field,
      },
      { requiredKeys: ['secret', 'label'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(item, field), { minLength: 1, maxLength: 8 }),
        async (items) => {
          const input = sniff('fuzz.json', Buffer.from(JSON.stringify(items)));
          if (!andOtpFormat.detect(input)) return;
          const source = await andOtpFormat.decode(input, {});
          expect(source.entries.length + source.skipped.length).toBe(items.length);
          for (const entry of source.entries)
            expect(OtpParams.safeParse(entry.params).success).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws anything but a ChronokeyError on arbitrary bytes (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.integer({ min: 1000, max: 3000 }),
        async (tail, iterations) => {
          const header = Buffer.alloc(4);
          header.writeUInt32BE(iterations);
          for (const bytes of [tail, Buffer.concat([header, tail])]) {
            const input = sniff('fuzz.aes', bytes);
            if (!andOtpFormat.detect(input)) continue;
            try {
              await andOtpFormat.decode(input, { password: 'pw' });
            } catch (error) {
              expect(error).toBeInstanceOf(ChronokeyError);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
