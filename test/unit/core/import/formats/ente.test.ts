import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { OtpParams } from '../../../../../shared/domain';
import { ChronokeyError } from '../../../../../shared/errors';
import {
  decodeEnteLinks,
  enteFormat,
  readEnteCodeDisplay,
} from '../../../../../main/core/import/formats/ente';
import type { SniffedInput } from '../../../../../main/core/import/types';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/import/ente');

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

const sniffJson = (name: string, value: unknown): SniffedInput =>
  sniff(name, Buffer.from(JSON.stringify(value)));

interface Expected {
  format: string;
  password?: string;
  accounts: unknown[];
  skipped: unknown[];
}

function expected(file: string): Expected {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Expected;
}

function summarize(source: Pick<ReturnType<typeof decodeEnteLinks>, 'entries' | 'skipped'>) {
  return {
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

/** An encrypted export as Ente writes it, with the smallest Argon2 limits to stay quick. */
function encryptExport(
  plaintext: string,
  password: string,
  memLimit = sodium.crypto_pwhash_MEMLIMIT_MIN,
  opsLimit = sodium.crypto_pwhash_OPSLIMIT_MIN,
): Record<string, unknown> {
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const key = sodium.crypto_pwhash(
    32,
    password,
    salt,
    opsLimit,
    memLimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const data = sodium.crypto_secretstream_xchacha20poly1305_push(
    state,
    Buffer.from(plaintext),
    null,
    sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
  );
  return {
    version: 1,
    kdfParams: { memLimit, opsLimit, salt: Buffer.from(salt).toString('base64') },
    encryptedData: Buffer.from(data).toString('base64'),
    encryptionNonce: Buffer.from(header).toString('base64'),
  };
}

beforeAll(async () => {
  await sodium.ready;
});

describe('Ente Auth exports', () => {
  it('reads the plain sample: codeDisplay tags and pins kept, trashed and unusable lines listed', () => {
    const text = readFileSync(path.join(FIXTURES, 'plain.txt'), 'utf8');
    const { format: _format, ...want } = expected('plain.expected.json');
    const source = decodeEnteLinks(text);
    expect(summarize(source)).toEqual(want);
    for (const entry of source.entries)
      expect(OtpParams.safeParse(entry.params).success).toBe(true);
    // The plain export is text, left to the text format: the encrypted-export format ignores it.
    expect(enteFormat.detect(sniff('plain.txt', Buffer.from(text)))).toBe(false);
  });

  it('reads the encrypted sample with its password (limits taken from the file)', async () => {
    const input = sniff('encrypted.json', readFileSync(path.join(FIXTURES, 'encrypted.json')));
    expect(enteFormat.detect(input)).toBe(true);
    expect(enteFormat.isEncrypted(input)).toBe(true);
    const { password, ...want } = expected('encrypted.expected.json');
    const source = await enteFormat.decode(input, { password: password ?? '' });
    expect({ format: source.format, ...summarize(source) }).toEqual(want);
    expect(source.label).toMatch(/encrypted/);
  });

  it('derives the key exactly as libsodium crypto_pwhash does, for any limits', async () => {
    const link = 'otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=A';
    for (const [memLimit, opsLimit] of [
      [8192, 1],
      [3 * 8192 + 500, 3],
      [1024 * 1024 + 1, 2],
    ] as const) {
      const file = encryptExport(link, 'pässword', memLimit, opsLimit);
      const source = await enteFormat.decode(sniffJson('limits.json', file), {
        password: 'pässword',
      });
      expect(source.entries).toHaveLength(1);
    }
  });

  it('asks for a password, and says when it is wrong', async () => {
    const input = sniff('encrypted.json', readFileSync(path.join(FIXTURES, 'encrypted.json')));
    expect((await rejection(enteFormat.decode(input, {}))).code).toBe('IMPORT_PASSWORD_REQUIRED');
    const wrong = await rejection(enteFormat.decode(input, { password: 'wrong' }));
    expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
    expect(wrong.message).toContain('encrypted.json');
  });

  it('says what is wrong with a damaged export, naming the file', async () => {
    const good = encryptExport('otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=A\n', 'pw');
    const decoded = await enteFormat.decode(sniffJson('good.json', good), { password: 'pw' });
    expect(decoded.entries[0]?.params.issuer).toBe('A');

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['version', { ...good, version: 2 }, 'IMPORT_MALFORMED'],
      [
        'salt',
        { ...good, kdfParams: { ...(good.kdfParams as object), salt: 'AAAA' } },
        'IMPORT_MALFORMED',
      ],
      [
        'mem',
        { ...good, kdfParams: { ...(good.kdfParams as object), memLimit: 2 ** 40 } },
        'IMPORT_MALFORMED',
      ],
      [
        'ops',
        { ...good, kdfParams: { ...(good.kdfParams as object), opsLimit: 0 } },
        'IMPORT_MALFORMED',
      ],
      ['nonce', { ...good, encryptionNonce: 'not base64!' }, 'IMPORT_MALFORMED'],
      ['short', { ...good, encryptedData: 'AAAA' }, 'IMPORT_MALFORMED'],
      [
        'truncated',
        { ...good, encryptedData: String(good.encryptedData).slice(0, -8) },
        'IMPORT_WRONG_PASSWORD',
      ],
      [
        'missing',
        { version: 1, kdfParams: {}, encryptedData: 1, encryptionNonce: 2 },
        'IMPORT_MALFORMED',
      ],
    ];
    for (const [name, value, code] of cases) {
      const error = await rejection(
        enteFormat.decode(sniffJson(`${name}.json`, value), { password: 'pw' }),
      );
      expect(error.code, name).toBe(code);
      expect(error.message).toContain(`${name}.json`);
    }
    const notText = encryptExport('', 'pw');
    expect(
      (await rejection(enteFormat.decode(sniffJson('empty.json', notText), { password: 'pw' })))
        .code,
    ).toBe('IMPORT_MALFORMED');
  });

  it('reads codeDisplay loosely: bad JSON or odd types leave the account untagged', () => {
    const base = 'otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=A';
    const source = decodeEnteLinks(
      [
        `${base}&codeDisplay=%7Bnot json`,
        `${base}&codeDisplay=${encodeURIComponent('{"pinned":"yes","tags":[1,"ok"," ","ok"]}')}`,
        `${base}&codeDisplay=${encodeURIComponent('{"tags":["a,b"]}').replace(/%2C/g, '%252C')}`,
        'not a link',
      ].join('\r\n'),
    );
    expect(source.entries.map((entry) => [entry.tags, entry.favourite])).toEqual([
      [[], false],
      [['ok'], false],
      [['a,b'], false],
    ]);
    expect(
      readEnteCodeDisplay(
        `${base}&codeDisplay=${encodeURIComponent('{"pinned":true,"trashed":true,"tags":["x"]}')}`,
      ),
    ).toEqual({
      pinned: true,
      trashed: true,
      tags: ['x'],
    });
    expect(readEnteCodeDisplay(base)).toEqual({ pinned: false, trashed: false, tags: [] });
    expect(source.skipped).toEqual([
      expect.objectContaining({ name: 'Line 4', code: 'URI_NOT_OTPAUTH' }),
    ]);
  });

  it('never throws anything but a ChronokeyError on arbitrary export JSON (fuzz)', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.constant(null),
      fc.base64String({ maxLength: 64 }),
    );
    const file = fc.record({
      version: fc.oneof(fc.constant(1), value),
      kdfParams: fc.oneof(
        fc.record({
          memLimit: fc.oneof(fc.constant(8192), value),
          opsLimit: fc.oneof(fc.constant(1), value),
          salt: fc.oneof(fc.constant('AAAAAAAAAAAAAAAAAAAAAA=='), value),
        }),
        value,
      ),
      encryptedData: value,
      encryptionNonce: fc.oneof(fc.constant('A'.repeat(32)), value),
    });
    await fc.assert(
      fc.asyncProperty(file, async (json) => {
        const input = sniffJson('fuzz.json', json);
        if (!enteFormat.detect(input)) return;
        try {
          await enteFormat.decode(input, { password: 'pw' });
        } catch (error) {
          expect(error).toBeInstanceOf(ChronokeyError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary decrypted text (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const source = decodeEnteLinks(text);
        for (const entry of source.entries)
          expect(OtpParams.safeParse(entry.params).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
