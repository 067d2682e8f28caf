import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { OtpParams } from '../../../../../shared/domain';
import { OtpParams as OtpParamsSchema } from '../../../../../shared/domain';
import { ChronokeyError } from '../../../../../shared/errors';
import {
  decodeMigrationUri,
  encodeMigrationPayloads,
  googleExportIncompatibility,
} from '../../../../../main/core/import/formats/google-migration';
import { bytesToBase32 } from '../../../../../main/core/otp/base32';
import type { DecodedSource } from '../../../../../main/core/import/types';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/import/google');

/**
 * Google's MigrationPayload schema built field by field with protobufjs's reflection API, apart
 * from the schema text inside the decoder, so a mistake in one shows up against the other.
 */
function buildSchema(): protobuf.Type {
  const { Type, Field, Enum } = protobuf;
  const payload = new Type('MigrationPayload')
    .add(new Enum('Algorithm', { A_UNSPECIFIED: 0, A_SHA1: 1, A_SHA256: 2, A_SHA512: 3, A_MD5: 4 }))
    .add(new Enum('DigitCount', { D_UNSPECIFIED: 0, D_SIX: 1, D_EIGHT: 2 }))
    .add(new Enum('OtpType', { T_UNSPECIFIED: 0, T_HOTP: 1, T_TOTP: 2 }))
    .add(
      new Type('OtpParameters')
        .add(new Field('secret', 1, 'bytes'))
        .add(new Field('name', 2, 'string'))
        .add(new Field('issuer', 3, 'string'))
        .add(new Field('algorithm', 4, 'Algorithm'))
        .add(new Field('digits', 5, 'DigitCount'))
        .add(new Field('type', 6, 'OtpType'))
        .add(new Field('counter', 7, 'int64')),
    )
    .add(new Field('otp_parameters', 1, 'OtpParameters', 'repeated'))
    .add(new Field('version', 2, 'int32'))
    .add(new Field('batch_size', 3, 'int32'))
    .add(new Field('batch_index', 4, 'int32'))
    .add(new Field('batch_id', 5, 'int32'));
  new protobuf.Root().add(payload);
  return payload;
}
const Payload = buildSchema();

function linkFor(object: Record<string, unknown>): string {
  // encode() takes the plain object as is, so out-of-range enum numbers reach the bytes.
  const bytes = Payload.encode(object).finish();
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(bytes).toString('base64'))}`;
}

function linkForBytes(bytes: number[] | Uint8Array): string {
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(bytes).toString('base64'))}`;
}

function summarize(source: DecodedSource): Array<Record<string, unknown>> {
  return source.entries.map((entry) => ({
    ...entry.params,
    tags: entry.tags,
    favourite: entry.favourite,
    defaulted: entry.defaulted,
  }));
}

function expectMigrationInvalid(run: () => unknown, sourceName: string): ChronokeyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChronokeyError);
    const chronokeyError = error as ChronokeyError;
    expect(chronokeyError.code).toBe('MIGRATION_INVALID');
    expect(chronokeyError.message).toContain(sourceName);
    return chronokeyError;
  }
  throw new Error('expected MIGRATION_INVALID');
}

describe('decodeMigrationUri', () => {
  it('reads a payload whose protobuf bytes are written out by hand', () => {
    const secret = [0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef];
    const name = [...Buffer.from('Example:alice@google.com')];
    const issuer = [...Buffer.from('Example')];
    const otp = [
      0x0a,
      secret.length,
      ...secret, // secret (field 1, bytes)
      0x12,
      name.length,
      ...name, // name (field 2, string)
      0x1a,
      issuer.length,
      ...issuer, // issuer (field 3, string)
      0x20,
      0x02, // algorithm = SHA256
      0x28,
      0x02, // digits = EIGHT
      0x30,
      0x01, // type = HOTP
      0x38,
      0xac,
      0x02, // counter = 300 (varint)
    ];
    const bytes = [
      0x0a,
      otp.length,
      ...otp, // otp_parameters (field 1)
      0x10,
      0x01, // version 1
      0x18,
      0x01, // batch_size 1
      0x20,
      0x00, // batch_index 0
      0x28,
      0xb9,
      0x60, // batch_id 12345
    ];
    const source = decodeMigrationUri(linkForBytes(bytes), 'hand.txt');
    expect(source.batch).toEqual({ id: 12345, index: 0, size: 1 });
    expect(source.skipped).toEqual([]);
    expect(summarize(source)).toEqual([
      {
        type: 'hotp',
        issuer: 'Example',
        account: 'alice@google.com',
        secret: 'JBSWY3DPEHPK3PXP', // "Hello!\xde\xad\xbe\xef" in base32
        algorithm: 'SHA256',
        digits: 8,
        period: 30,
        counter: 300,
        tags: [],
        favourite: false,
        defaulted: ['period'],
      },
    ]);
  });

  it('reads this known base64 payload (one TOTP account, defaults unspecified)', () => {
    // 0a 15 { 0a 0a <10 secret bytes> 12 05 "carol" 30 02 }: one TOTP account, nothing else.
    const bytes = Buffer.concat([
      Buffer.from([0x0a, 0x15, 0x0a, 0x0a]),
      Buffer.from('48656c6c6f21deadbeef', 'hex'),
      Buffer.from([0x12, 0x05]),
      Buffer.from('carol'),
      Buffer.from([0x30, 0x02]),
    ]);
    const base64 = bytes.toString('base64');
    expect(base64).toBe('ChUKCkhlbGxvId6tvu8SBWNhcm9sMAI=');
    const source = decodeMigrationUri(`otpauth-migration://offline?data=${base64}`, 'p');
    expect(source.batch).toBeUndefined();
    expect(summarize(source)).toEqual([
      {
        type: 'totp',
        issuer: '',
        account: 'carol',
        secret: 'JBSWY3DPEHPK3PXP',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 0,
        tags: [],
        favourite: false,
        defaulted: ['period', 'algorithm', 'digits', 'issuer'],
      },
    ]);
  });

  it('maps every algorithm, digit count and type, and lists MD5 and unknown kinds as skipped', () => {
    const secret = Buffer.from('0123456789abcdef0123');
    const link = linkFor({
      otp_parameters: [
        { secret, name: 'a', issuer: 'One', algorithm: 1, digits: 1, type: 2 },
        { secret, name: 'One:b', issuer: 'One', algorithm: 3, digits: 2, type: 2 },
        { secret, name: 'Other:c', issuer: 'One', algorithm: 2, digits: 1, type: 1, counter: 9 },
        { secret, name: 'Md5:d', issuer: 'Md5', algorithm: 4, digits: 1, type: 2 },
        { secret, name: 'e', issuer: 'Weird', algorithm: 1, digits: 1, type: 7 },
        { secret, name: 'f', issuer: 'Weird', algorithm: 9, digits: 1, type: 2 },
        { secret, name: 'g', issuer: 'Weird', algorithm: 1, digits: 5, type: 2 },
        { secret: Buffer.alloc(0), name: 'h', issuer: 'Empty', algorithm: 1, digits: 1, type: 2 },
        { secret, name: 'i', issuer: 'Untyped', algorithm: 1, digits: 1, type: 0 },
      ],
      version: 1,
    });
    const source = decodeMigrationUri(link, 'many.png');
    const base32 = bytesToBase32(secret);
    expect(source.entries.map((entry) => entry.params)).toEqual([
      {
        type: 'totp',
        issuer: 'One',
        account: 'a',
        secret: base32,
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 0,
      },
      {
        type: 'totp',
        issuer: 'One',
        account: 'b',
        secret: base32,
        algorithm: 'SHA512',
        digits: 8,
        period: 30,
        counter: 0,
      },
      // A prefix that is not the issuer stays part of the account name.
      {
        type: 'hotp',
        issuer: 'One',
        account: 'Other:c',
        secret: base32,
        algorithm: 'SHA256',
        digits: 6,
        period: 30,
        counter: 9,
      },
      {
        type: 'totp',
        issuer: 'Untyped',
        account: 'i',
        secret: base32,
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 0,
      },
    ]);
    expect(source.entries[3]?.warnings.map((warning) => warning.code)).toContain('TYPE_DEFAULTED');
    expect(source.skipped.map(({ name, code }) => ({ name, code }))).toEqual([
      { name: 'Md5:d', code: 'ALGORITHM_UNSUPPORTED' },
      { name: 'Weird:e', code: 'TYPE_UNSUPPORTED' },
      { name: 'Weird:f', code: 'ALGORITHM_UNSUPPORTED' },
      { name: 'Weird:g', code: 'DIGITS_INVALID' },
      { name: 'Empty:h', code: 'SECRET_EMPTY' },
    ]);
    expect(source.skipped[0]?.message).toMatch(/MD5/);
  });

  it('reads the two-code sample export with its batch numbers', () => {
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURES, 'two-batches.expected.json'), 'utf8'),
    ) as {
      batches: unknown[];
      accounts: unknown[];
      skipped: unknown[];
    };
    const lines = readFileSync(path.join(FIXTURES, 'two-batches.txt'), 'utf8').trim().split('\n');
    const sources = lines.map((line) => decodeMigrationUri(line, 'two-batches.txt'));
    expect(sources.map((source) => source.batch)).toEqual(expected.batches);
    expect(sources.flatMap(summarize)).toEqual(expected.accounts);
    expect(
      sources.flatMap((source) => source.skipped.map(({ name, code }) => ({ name, code }))),
    ).toEqual(expected.skipped);
    for (const source of sources) {
      expect(source.format).toBe('google-migration');
      for (const entry of source.entries) expect(OtpParamsSchema.parse(entry.params)).toBeTruthy();
    }
  });

  it('accepts the data as copying damages it: raw, base64url, unpadded, "+" turned to space', () => {
    const link = linkFor({
      otp_parameters: [
        // Bytes chosen so the base64 holds '+', '/' and padding.
        {
          secret: Buffer.from([0xfb, 0xff, 0xbf, 0xfe, 0xfb, 0xef, 0x3e, 0xfb, 0xff, 0xfe]),
          name: 'x',
          issuer: 'Y',
          type: 2,
        },
      ],
    });
    const base64 = decodeURIComponent(link.slice(link.indexOf('data=') + 5));
    expect(base64).toMatch(/[+/]/);
    expect(base64).toMatch(/=$/);
    const reference = decodeMigrationUri(link, 'ref').entries[0]?.params;
    const variants = [
      `otpauth-migration://offline?data=${base64}`,
      `otpauth-migration://offline?data=${base64.replace(/\+/g, ' ')}`,
      `otpauth-migration://offline?data=${base64.replace(/=+$/, '')}`,
      `otpauth-migration://offline?data=${base64.replace(/\+/g, '-').replace(/\//g, '_')}`,
      `OTPAUTH-MIGRATION://offline?version=1&DATA=${encodeURIComponent(base64)}#frag`,
      `  otpauth-migration://offline/?data=${base64}\n`,
    ];
    for (const variant of variants) {
      expect(decodeMigrationUri(variant, 'variant').entries[0]?.params).toEqual(reference);
    }
  });

  it('refuses what is not a readable export, naming the source', () => {
    expectMigrationInvalid(
      () => decodeMigrationUri('otpauth://totp/x?secret=AB', 'a.png'),
      'a.png',
    );
    expectMigrationInvalid(() => decodeMigrationUri('otpauth-migration://offline', 'b'), 'b');
    expectMigrationInvalid(() => decodeMigrationUri('otpauth-migration://offline?data=', 'c'), 'c');
    const notBase64 = expectMigrationInvalid(
      () => decodeMigrationUri('otpauth-migration://offline?data=%%%not*base64', 'd.txt'),
      'd.txt',
    );
    expect(notBase64.message).toMatch(/base64/);
    // Valid base64, but the bytes end in the middle of a length-delimited field.
    const truncated = Buffer.from([0x0a, 0x20, 0x0a, 0x0a, 0x01]).toString('base64');
    expectMigrationInvalid(
      () => decodeMigrationUri(`otpauth-migration://offline?data=${truncated}`, 'e.png'),
      'e.png',
    );
    // Parses as protobuf but holds no accounts.
    expectMigrationInvalid(() => decodeMigrationUri(linkFor({ version: 1 }), 'f'), 'f');
    // Claims to be code 4 of 3.
    expectMigrationInvalid(
      () =>
        decodeMigrationUri(
          linkFor({
            otp_parameters: [{ secret: Buffer.from('12345678901234567890'), name: 'z', type: 2 }],
            batch_size: 3,
            batch_index: 3,
          }),
          'g',
        ),
      'g',
    );
  });

  it('never throws anything but MIGRATION_INVALID on arbitrary bytes, and always finishes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          const source = decodeMigrationUri(linkForBytes(bytes), 'fuzz');
          for (const entry of source.entries) {
            expect(OtpParamsSchema.safeParse(entry.params).success).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ChronokeyError);
          expect((error as ChronokeyError).code).toBe('MIGRATION_INVALID');
        }
      }),
      // No stopwatch per run (a loaded machine pauses anyone); a decoder that looped would run
      // past vitest's timeout.
      { numRuns: 2000 },
    );
  });

  it('never throws anything but MIGRATION_INVALID on arbitrary link text', () => {
    const piece = fc.constantFrom(
      'otpauth-migration://offline?',
      'data=',
      '&',
      '%',
      '%2B',
      '+',
      ' ',
      '=',
      'Cg',
      'CjE',
      'AAAA',
      '_',
      '-',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 20 }),
        (parts) => {
          try {
            decodeMigrationUri(parts.join(''), 'fuzz');
          } catch (error) {
            expect(error).toBeInstanceOf(ChronokeyError);
            expect((error as ChronokeyError).code).toBe('MIGRATION_INVALID');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('encodeMigrationPayloads', () => {
  const account = (index: number, overrides: Partial<OtpParams> = {}): OtpParams => ({
    type: 'totp',
    issuer: `Issuer ${index}`,
    account: `user${index}@example.com`,
    secret: bytesToBase32(Buffer.from(`secret-number-${String(index).padStart(6, '0')}`)),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    ...overrides,
  });

  it('splits 23 accounts into 3 links of at most 10 that decode back to the same accounts', () => {
    const accounts = Array.from({ length: 23 }, (_, index) =>
      account(index, index % 5 === 0 ? { type: 'hotp', counter: index * 1000 } : {}),
    );
    const links = encodeMigrationPayloads(accounts, { batchId: 777 });
    expect(links).toHaveLength(3);
    const sources = links.map((link) => decodeMigrationUri(link, 'round trip'));
    expect(sources.map((source) => source.batch)).toEqual([
      { id: 777, index: 0, size: 3 },
      { id: 777, index: 1, size: 3 },
      { id: 777, index: 2, size: 3 },
    ]);
    expect(sources.map((source) => source.entries.length)).toEqual([10, 10, 3]);
    expect(sources.flatMap((source) => source.entries.map((entry) => entry.params))).toEqual(
      accounts,
    );
  });

  it('round-trips any account the format can carry (property)', () => {
    const name = fc.string({ maxLength: 30 }).map((text) => text.trim());
    const params = fc.record({
      type: fc.constantFrom('totp' as const, 'hotp' as const),
      issuer: name,
      account: name,
      secret: fc.uint8Array({ minLength: 10, maxLength: 64 }).map(bytesToBase32),
      algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
      digits: fc.constantFrom(6, 8),
      period: fc.constant(30),
      counter: fc.nat({ max: 2 ** 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(params, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 12 }),
        (list, batchSize) => {
          const accounts = list.map((item) => ({
            ...item,
            counter: item.type === 'hotp' ? item.counter : 0,
          }));
          // Names go through the link parser, which normalises them the same way on every path.
          const expected = accounts.map((item) => {
            const decoded = decodeMigrationUri(encodeMigrationPayloads([item])[0] ?? '', 'one');
            return decoded.entries[0]?.params;
          });
          const links = encodeMigrationPayloads(accounts, { batchSize });
          expect(links).toHaveLength(Math.ceil(accounts.length / batchSize));
          const decoded = links.flatMap((link) =>
            decodeMigrationUri(link, 'prop').entries.map((entry) => entry.params),
          );
          expect(decoded).toEqual(expected);
          for (const [index, item] of accounts.entries()) {
            const back = decoded[index];
            expect(back?.secret).toBe(item.secret);
            expect(back?.type).toBe(item.type);
            expect(back?.algorithm).toBe(item.algorithm);
            expect(back?.digits).toBe(item.digits);
            expect(back?.counter).toBe(item.counter);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps an account name with ":" and no issuer whole', () => {
    const [link] = encodeMigrationPayloads([account(1, { issuer: '', account: 'team:alice' })]);
    const params = decodeMigrationUri(link ?? '', 'colon').entries[0]?.params;
    expect(params?.issuer).toBe('');
    expect(params?.account).toBe('team:alice');
  });

  it('refuses accounts Google Authenticator would get wrong, saying which and why', () => {
    const steam = account(1, { type: 'steam', digits: 5 });
    const slow = account(2, { period: 60 });
    const seven = account(3, { digits: 7 });
    expect(googleExportIncompatibility(steam)).toMatch(/Steam/);
    expect(googleExportIncompatibility(slow)).toMatch(/60-second/);
    expect(googleExportIncompatibility(seven)).toMatch(/7/);
    expect(googleExportIncompatibility(account(4))).toBeUndefined();
    expect(googleExportIncompatibility(account(5, { type: 'hotp', period: 60 }))).toBeUndefined();
    for (const bad of [steam, slow, seven]) {
      expect(() => encodeMigrationPayloads([account(0), bad])).toThrow(
        expect.objectContaining({ code: 'MIGRATION_UNSUPPORTED' }),
      );
    }
    expect(() => encodeMigrationPayloads([steam])).toThrow(/Issuer 1:user1@example.com/);
    expect(encodeMigrationPayloads([])).toEqual([]);
  });
});
