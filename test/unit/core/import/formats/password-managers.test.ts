import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ChronokeyError } from '../../../../../shared/errors';
import { importFormats } from '../../../../../main/core/import/formats';
import { keePassFormat } from '../../../../../main/core/import/formats/keepass';
import { lastPassFormat } from '../../../../../main/core/import/formats/lastpass';
import { onePasswordFormat } from '../../../../../main/core/import/formats/onepassword';
import {
  applePasswordsCsvFormat,
  bitwardenCsvFormat,
} from '../../../../../main/core/import/formats/password-csv';
import { protonAuthenticatorFormat } from '../../../../../main/core/import/formats/proton-authenticator';
import { protonPassFormat } from '../../../../../main/core/import/formats/proton-pass';
import { MAX_ZIPPED_FILE_BYTES } from '../../../../../main/core/import/formats/zip-archive';
import { sniffInput } from '../../../../../main/core/import/sniff';
import type { ImportFormat, SniffedInput } from '../../../../../main/core/import/types';
import { FIXTURES } from '../../../../fixtures/import/make-samples';
import {
  base32Secret,
  expectOnlyChronokeyErrors,
  expectedFor,
  field,
  rejection,
  summarize,
  sniffJson,
  sniffText,
} from './app-backup-fixtures';

/**
 * The password managers' readers (Bitwarden and Apple CSV, LastPass, Proton Authenticator,
 * Proton Pass, 1Password 1PUX, KeePass KDBX) on the samples that make-samples-c.ts writes from the
 * formats' documentation, on wrong passwords, damaged and crafted files, and on fuzzed input.
 */

const read = (file: string) => new Uint8Array(readFileSync(path.join(FIXTURES, file)));
const sniffBytes = (name: string, bytes: Uint8Array): SniffedInput => sniffInput({ name, bytes });
const sniffSample = (file: string) => sniffBytes(path.basename(file), read(file));

const samples: Array<[ImportFormat, string]> = [
  [bitwardenCsvFormat, 'bitwarden/vault.csv'],
  [applePasswordsCsvFormat, 'apple-passwords/passwords.csv'],
  [lastPassFormat, 'lastpass/export.json'],
  [protonAuthenticatorFormat, 'proton-authenticator/export.json'],
  [protonAuthenticatorFormat, 'proton-authenticator/encrypted.json'],
  [protonPassFormat, 'proton-pass/data.json'],
  [protonPassFormat, 'proton-pass/export.zip'],
  [onePasswordFormat, '1password/export.1pux'],
  [keePassFormat, 'keepass/kdbx4-argon2id-aes.kdbx'],
  [keePassFormat, 'keepass/kdbx4-argon2d-chacha20.kdbx'],
  [keePassFormat, 'keepass/kdbx4-aeskdf-chacha20.kdbx'],
  [keePassFormat, 'keepass/kdbx3-aeskdf-aes.kdbx'],
];

/** The format of the registry that claims an input first, as the pipeline picks it. */
const claimedBy = (input: SniffedInput) => importFormats.find((format) => format.detect(input))?.id;

describe('password managers: samples', () => {
  it.each(samples)('%s reads %s to its expected accounts', async (format, file) => {
    const expected = expectedFor(file);
    const input = sniffSample(file);
    expect(claimedBy(input)).toBe(format.id);
    expect(format.isEncrypted(input)).toBe(expected.password !== undefined);
    const source = await format.decode(
      input,
      expected.password === undefined ? {} : { password: expected.password },
    );
    expect(source.format).toBe(expected.format);
    expect(summarize(source)).toEqual({ accounts: expected.accounts, skipped: expected.skipped });
    for (const skipped of source.skipped) expect(skipped.message).toMatch(/^[A-Z].{10,}[.]$/s);
  });

  it('reads the same accounts from every KDBX variant (3.1 and 4, AES-KDF and Argon2, AES and ChaCha20)', async () => {
    const files = samples.filter(([format]) => format === keePassFormat).map(([, file]) => file);
    const read = await Promise.all(
      files.map(async (file) =>
        summarize(
          await keePassFormat.decode(sniffSample(file), { password: expectedFor(file).password! }),
        ),
      ),
    );
    for (const other of read.slice(1)) expect(other).toEqual(read[0]);
  });

  it('labels each KDBX with its version', async () => {
    const v3 = await keePassFormat.decode(sniffSample('keepass/kdbx3-aeskdf-aes.kdbx'), {
      password: expectedFor('keepass/kdbx3-aeskdf-aes.kdbx').password!,
    });
    expect(v3.label).toBe('KeePass database (KDBX 3)');
  });
});

describe('password managers: passwords', () => {
  it.each([
    ['keepass/kdbx4-argon2id-aes.kdbx', keePassFormat],
    ['keepass/kdbx3-aeskdf-aes.kdbx', keePassFormat],
    ['proton-authenticator/encrypted.json', protonAuthenticatorFormat],
  ] as const)(
    '%s: no password asks for one, a wrong one is refused by name',
    async (file, format) => {
      const input = sniffSample(file);
      expect((await rejection(format.decode(input, {}))).code).toBe('IMPORT_PASSWORD_REQUIRED');
      const wrong = await rejection(format.decode(input, { password: 'not it' }));
      expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
      expect(wrong.message).toContain(path.basename(file));
    },
  );

  it('says that key files are not supported when the password does not open a KDBX', async () => {
    const wrong = await rejection(
      keePassFormat.decode(sniffSample('keepass/kdbx4-argon2id-aes.kdbx'), { password: 'x' }),
    );
    expect(wrong.message).toMatch(/key file/);
  });
});

/** Overwrites the value of one KDBX 4 KDF parameter (VariantDictionary: type, key, value). */
function withKdfParameter(bytes: Uint8Array, key: string, value: bigint): Uint8Array {
  const copy = new Uint8Array(bytes);
  const marker = Buffer.from([0x05, 1, 0, 0, 0, key.charCodeAt(0), 8, 0, 0, 0]);
  const at = Buffer.from(copy).indexOf(marker);
  expect(at).toBeGreaterThan(0);
  Buffer.from(copy.buffer).writeBigUInt64LE(value, at + marker.length);
  return copy;
}

/** KDBX 3.1's TransformRounds header field (id 6, 8 bytes). */
function withKdbx3Rounds(bytes: Uint8Array, rounds: bigint): Uint8Array {
  const copy = new Uint8Array(bytes);
  let at = 12;
  const view = Buffer.from(copy.buffer);
  while (at < copy.length) {
    const id = view[at]!;
    const size = view.readUInt16LE(at + 1);
    if (id === 6) {
      view.writeBigUInt64LE(rounds, at + 3);
      return copy;
    }
    at += 3 + size;
  }
  throw new Error('no TransformRounds field');
}

describe('password managers: damaged and crafted files change nothing and say why', () => {
  const kdbx4 = read('keepass/kdbx4-aeskdf-chacha20.kdbx');
  const argon = read('keepass/kdbx4-argon2id-aes.kdbx');
  const password = expectedFor('keepass/kdbx4-aeskdf-chacha20.kdbx').password!;

  it.each([
    ['AES-KDF rounds of 10¹²', () => withKdfParameter(kdbx4, 'R', 10n ** 12n), /AES-KDF rounds/],
    ['AES-KDF rounds past 2⁵³', () => withKdfParameter(kdbx4, 'R', 2n ** 60n), /AES-KDF rounds/],
    [
      'KDBX 3.1 rounds of 10¹²',
      () => withKdbx3Rounds(read('keepass/kdbx3-aeskdf-aes.kdbx'), 10n ** 12n),
      /AES-KDF rounds/,
    ],
    [
      'Argon2 memory of 64 GiB',
      () => withKdfParameter(argon, 'M', 64n * 1024n ** 3n),
      /Argon2 memory/,
    ],
    ['10,000 Argon2 iterations', () => withKdfParameter(argon, 'I', 10_000n), /Argon2 iterations/],
  ])('refuses %s before deriving anything', async (_name, make, detail) => {
    const error = await rejection(
      keePassFormat.decode(sniffBytes('crafted.kdbx', make()), { password }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(detail);
    expect(error.message).toContain('crafted.kdbx');
  });

  it('refuses a KDBX cut short or changed as damaged, never as a crash', async () => {
    const cut = kdbx4.subarray(0, Math.floor(kdbx4.length * 0.7));
    expect(
      (await rejection(keePassFormat.decode(sniffBytes('cut.kdbx', cut), { password }))).code,
    ).toBe('IMPORT_MALFORMED');
    const changed = new Uint8Array(kdbx4);
    changed[changed.length - 40]! ^= 0xff;
    expect(
      (await rejection(keePassFormat.decode(sniffBytes('changed.kdbx', changed), { password })))
        .code,
    ).toBe('IMPORT_MALFORMED');
  });

  it('refuses a KeePass 1 (.kdb) or future KDBX version clearly', async () => {
    const future = new Uint8Array(kdbx4);
    future[10] = 9; // major version 9
    const error = await rejection(
      keePassFormat.decode(sniffBytes('future.kdbx', future), { password }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(/version/);
  });

  it('stops inflating a zip bomb at the limit, and refuses a zip cut short', async () => {
    const bomb = zipSync(
      { 'export.data': new Uint8Array(MAX_ZIPPED_FILE_BYTES + 1024 * 1024) },
      { level: 1 },
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await rejection(onePasswordFormat.decode(sniffBytes('bomb.1pux', bomb), {}));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(/MiB/);
    const sample = read('1password/export.1pux');
    // Cut inside export.data: still told apart as a 1PUX (from its local headers), and damaged.
    const cut = sniffBytes('cut.1pux', sample.subarray(0, Math.floor(sample.length * 0.6)));
    expect(claimedBy(cut)).toBe('1password');
    const cutError = await rejection(onePasswordFormat.decode(cut, {}));
    expect(cutError.code).toBe('IMPORT_MALFORMED');
    expect(cutError.message).toMatch(/cut short/);
  });

  it('refuses a PGP-encrypted Proton Pass export with a way forward', async () => {
    const zip = zipSync({ 'Proton Pass/data.pgp': strToU8('-----BEGIN PGP MESSAGE-----') });
    const input = sniffBytes('pass.zip', zip);
    expect(claimedBy(input)).toBe('proton-pass');
    const error = await rejection(protonPassFormat.decode(input, {}));
    expect(error.code).toBe('IMPORT_UNSUPPORTED_ENCRYPTION');
    expect(error.message).toMatch(/without encryption/);
  });

  it('refuses a CSV whose quote never closes instead of guessing its rows', async () => {
    const text =
      'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,"Broken,,,,,,,bob,pw,JBSWY3DPEHPK3PXP\n';
    const error = await rejection(bitwardenCsvFormat.decode(sniffText('vault.csv', text), {}));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(/quoted field/);
  });

  it('names a Proton Authenticator entry of an unknown kind, whatever value its type holds', async () => {
    // {"toString": 0} makes String(value) throw; fuzzing found it.
    const source = await protonAuthenticatorFormat.decode(
      sniffJson('p.json', {
        version: { toString: 0 },
        entries: [{ content: { uri: 'x', entry_type: { toString: 0 }, name: 'Odd' } }],
      }),
      {},
    );
    expect(source.skipped).toEqual([
      expect.objectContaining({
        name: 'Odd',
        code: 'TYPE_UNSUPPORTED',
        message: expect.stringContaining('{"toString":0}'),
      }),
    ]);
    const sealed = await rejection(
      protonAuthenticatorFormat.decode(
        sniffJson('p.json', {
          version: { toString: 0 },
          salt: 'c2FsdA==',
          content: 'Y29udGVudA==',
        }),
        { password: 'x' },
      ),
    );
    expect(sealed.code).toBe('IMPORT_MALFORMED');
  });

  it('refuses a damaged encrypted Proton Authenticator export as damaged', async () => {
    const sealed = JSON.parse(
      readFileSync(path.join(FIXTURES, 'proton-authenticator/encrypted.json'), 'utf8'),
    ) as Record<string, string>;
    const error = await rejection(
      protonAuthenticatorFormat.decode(sniffJson('p.json', { ...sealed, salt: 'c2hvcnQ=' }), {
        password: 'x',
      }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
  });
});

describe('password managers: fuzzed input yields accounts or a ChronokeyError, nothing else', () => {
  const totp = field(
    fc.oneof(
      base32Secret,
      base32Secret.map((secret) => `otpauth://totp/x?secret=${secret}`),
      fc.constantFrom('steam://JBSWY3DPEHPK3PXP', 'otpauth://hotp/x?secret=A', '%'),
    ),
  );

  it('LastPass (300 runs)', async () => {
    const account = fc.record({
      issuerName: field(fc.string()),
      userName: field(fc.string()),
      secret: totp,
      timeStep: field(fc.constantFrom(30, 0, -1, 1e12)),
      digits: field(fc.constantFrom(6, 8, 5, 11)),
      algorithm: field(fc.constantFrom('SHA1', 'SHA512', 'MD5')),
      isFavorite: field(fc.boolean()),
      folderData: field(
        fc.record({ folderId: field(fc.integer()), position: field(fc.integer()) }),
      ),
    });
    await expectOnlyChronokeyErrors(
      lastPassFormat,
      fc.record({
        deviceSecret: fc.constant('x'),
        version: field(fc.constant(3)),
        accounts: field(fc.array(field(account), { maxLength: 6 })),
        folders: field(
          fc.array(field(fc.record({ id: field(fc.integer()), name: field(fc.string()) }))),
        ),
      }),
      300,
    );
  });

  it('Proton Authenticator (300 runs)', async () => {
    const entry = fc.record({
      id: fc.string(),
      content: field(
        fc.record({
          uri: totp,
          entry_type: field(fc.constantFrom('Totp', 'Steam', 'Hotp')),
          name: field(fc.string()),
        }),
      ),
      note: field(fc.string()),
    });
    await expectOnlyChronokeyErrors(
      protonAuthenticatorFormat,
      fc.oneof(
        fc.record({
          version: field(fc.constant(1)),
          entries: field(fc.array(field(entry), { maxLength: 6 })),
        }),
        fc.record({
          version: field(fc.constantFrom(1, 2)),
          salt: field(fc.base64String()),
          content: field(fc.base64String()),
        }),
      ),
      300,
    );
  });

  it('Proton Pass (300 runs)', async () => {
    const item = fc.record({
      data: field(
        fc.record({
          type: field(fc.constantFrom('login', 'note')),
          metadata: field(fc.record({ name: field(fc.string()) })),
          content: field(
            fc.record({
              totpUri: totp,
              itemUsername: field(fc.string()),
              itemEmail: field(fc.string()),
            }),
          ),
          extraFields: field(
            fc.array(
              field(
                fc.record({
                  type: field(fc.constant('totp')),
                  data: field(fc.record({ totpUri: totp })),
                }),
              ),
            ),
          ),
        }),
      ),
      state: field(fc.constantFrom(1, 2)),
      pinned: field(fc.boolean()),
    });
    await expectOnlyChronokeyErrors(
      protonPassFormat,
      fc.record({
        encrypted: fc.boolean(),
        vaults: field(
          fc.dictionary(
            fc.string(),
            field(
              fc.record({
                name: field(fc.string()),
                items: field(fc.array(field(item), { maxLength: 5 })),
              }),
            ),
          ),
        ),
      }),
      300,
    );
  });

  it('1Password 1PUX, as zips of fuzzed export.data (300 runs)', async () => {
    const item = fc.record({
      state: field(fc.constantFrom('active', 'archived')),
      favIndex: field(fc.integer()),
      overview: field(
        fc.record({ title: field(fc.string()), tags: field(fc.array(field(fc.string()))) }),
      ),
      details: field(
        fc.record({
          loginFields: field(
            fc.array(
              field(
                fc.record({
                  designation: field(fc.constant('username')),
                  value: field(fc.string()),
                }),
              ),
            ),
          ),
          sections: field(
            fc.array(
              field(
                fc.record({
                  fields: field(fc.array(field(fc.record({ value: field(fc.record({ totp })) })))),
                }),
              ),
            ),
          ),
        }),
      ),
    });
    const data = fc.record({
      accounts: field(
        fc.array(
          field(
            fc.record({
              vaults: field(
                fc.array(
                  field(fc.record({ items: field(fc.array(field(item), { maxLength: 4 })) })),
                ),
              ),
            }),
          ),
        ),
      ),
    });
    await fc.assert(
      fc.asyncProperty(data, async (value) => {
        await onlyChronokeyErrors(
          onePasswordFormat,
          sniffBytes('f.1pux', zipSync({ 'export.data': strToU8(JSON.stringify(value)) })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('Bitwarden and Apple CSV: any rows, quotes and line breaks (300 runs each)', async () => {
    const cell = fc.oneof(
      fc.string(),
      totp.map(String),
      fc.constantFrom('"', '""', '\n', ',', '\r\n'),
    );
    for (const [format, header] of [
      [
        bitwardenCsvFormat,
        'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
      ],
      [applePasswordsCsvFormat, 'Title,URL,Username,Password,Notes,OTPAuth'],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 8 }),
          async (rows) => {
            const text = `${header}\n${rows.map((row) => row.join(',')).join('\n')}`;
            await onlyChronokeyErrors(format, sniffText('f.csv', text));
          },
        ),
        { numRuns: 300 },
      );
    }
  });

  it('KeePass: the sample with bytes changed, cut or inserted (300 runs)', async () => {
    const sample = read('keepass/kdbx4-aeskdf-chacha20.kdbx');
    const password = expectedFor('keepass/kdbx4-aeskdf-chacha20.kdbx').password!;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(sample.length - 1), byte: fc.nat(255) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat(sample.length),
        async (changes, length) => {
          const bytes = new Uint8Array(sample.subarray(0, Math.max(12, length)));
          for (const { at, byte } of changes) if (at >= 8 && at < bytes.length) bytes[at] = byte;
          await onlyChronokeyErrors(keePassFormat, sniffBytes('f.kdbx', bytes), password);
        },
      ),
      { numRuns: 300 },
    );
  });
});

async function onlyChronokeyErrors(
  format: ImportFormat,
  input: SniffedInput,
  password = 'fuzz',
): Promise<void> {
  try {
    format.detect(input);
    format.isEncrypted(input);
    const source = await format.decode(input, { password });
    expect(Array.isArray(source.entries)).toBe(true);
  } catch (error) {
    if (!(error instanceof ChronokeyError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}
