import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aegisFormat } from '../../../../../main/core/import/formats/aegis';
import { bitwardenFormat } from '../../../../../main/core/import/formats/bitwarden';
import { freeOtpPlusFormat } from '../../../../../main/core/import/formats/freeotp-plus';
import { twoFasFormat } from '../../../../../main/core/import/formats/twofas';
import { readFixture, sealAegisVault } from '../../../../fixtures/import/make-samples';
import {
  allSamples,
  base32Secret,
  expectOnlyChronokeyErrors,
  expectSampleMatches,
  field,
  rejection,
  sniffFixture,
  sniffJson,
  sniffText,
  summarize,
} from './app-backup-fixtures';

const plainDb = (JSON.parse(readFixture('aegis/plain.json')) as { db: Record<string, unknown> }).db;
/** Cheap scrypt settings for vaults built in the tests (the samples use Aegis's N=2^15). */
const FAST = { random: (size: number) => randomBytes(size), n: 1024, r: 8, p: 1 };

function vaultWith(entries: unknown[], groups: unknown[] = []) {
  return { version: 1, header: { slots: null, params: null }, db: { version: 3, entries, groups } };
}

function totp(overrides: Record<string, unknown> = {}, info: Record<string, unknown> = {}) {
  return {
    type: 'totp',
    uuid: 'u',
    name: 'alice',
    issuer: 'Example',
    favorite: false,
    info: { secret: 'JBSWY3DPEHPK3PXP', algo: 'SHA1', digits: 6, period: 30, ...info },
    ...overrides,
  };
}

describe('Aegis vault: samples', () => {
  it('reads a plain vault: types, groups as tags, favourites; motp, yandex, MD5 and a bad key listed as skipped', async () => {
    await expectSampleMatches(aegisFormat, 'aegis/plain.json');
  });

  it('reads a version 2 vault whose entries name one group each', async () => {
    await expectSampleMatches(aegisFormat, 'aegis/plain-v1-group.json');
  });

  it('opens the committed encrypted sample (scrypt N=2^15, a biometric slot first) with its password', async () => {
    const source = await expectSampleMatches(aegisFormat, 'aegis/encrypted.json');
    expect(source.label).toBe('Aegis vault (encrypted)');
  });

  it('detects Aegis vaults and nothing else among the samples', () => {
    for (const path of allSamples()) {
      expect(aegisFormat.detect(sniffFixture(path)), path).toBe(path.startsWith('aegis/'));
    }
    for (const format of [twoFasFormat, bitwardenFormat, freeOtpPlusFormat]) {
      expect(format.detect(sniffFixture('aegis/plain.json')), format.id).toBe(false);
      expect(format.detect(sniffFixture('aegis/encrypted.json')), format.id).toBe(false);
    }
  });
});

describe('Aegis vault: encryption', () => {
  it('round-trips a vault built here with node:crypto, and the file name is in every error', async () => {
    const input = sniffJson('aegis-backup.json', sealAegisVault(plainDb, 'hunter2', FAST));
    expect(aegisFormat.isEncrypted(input)).toBe(true);
    const source = await aegisFormat.decode(input, { password: 'hunter2' });
    const plain = await aegisFormat.decode(sniffFixture('aegis/plain.json'), {});
    expect(summarize(source)).toEqual(summarize(plain));

    const missing = await rejection(aegisFormat.decode(input, {}));
    expect(missing.code).toBe('IMPORT_PASSWORD_REQUIRED');
    expect(missing.message).toContain('aegis-backup.json');

    const wrong = await rejection(aegisFormat.decode(input, { password: 'hunter3' }));
    expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
    expect(wrong.message).toContain('aegis-backup.json');
  });

  it('tries every password slot', async () => {
    const vault = sealAegisVault(plainDb, 'second', { ...FAST, otherPasswords: ['first'] });
    const input = sniffJson('two-slots.json', vault);
    expect((await aegisFormat.decode(input, { password: 'first' })).entries).toHaveLength(4);
    expect((await aegisFormat.decode(input, { password: 'second' })).entries).toHaveLength(4);
    expect((await rejection(aegisFormat.decode(input, { password: 'third' }))).code).toBe(
      'IMPORT_WRONG_PASSWORD',
    );
  });

  it('reads passwords as UTF-8, as Aegis does', async () => {
    const input = sniffJson('unicode.json', sealAegisVault(plainDb, 'pässwörd 🔑', FAST));
    expect((await aegisFormat.decode(input, { password: 'pässwörd 🔑' })).entries).toHaveLength(4);
    expect((await rejection(aegisFormat.decode(input, { password: 'passwort 🔑' }))).code).toBe(
      'IMPORT_WRONG_PASSWORD',
    );
  });

  it('refuses a vault with only a biometric slot, saying why', async () => {
    const vault = sealAegisVault(plainDb, 'x', { ...FAST, biometricSlot: true }) as {
      header: { slots: Array<{ type: number }> };
    };
    vault.header.slots = vault.header.slots.filter((slot) => slot.type === 2);
    const error = await rejection(
      aegisFormat.decode(sniffJson('bio.json', vault), { password: 'x' }),
    );
    expect(error.code).toBe('IMPORT_UNSUPPORTED_ENCRYPTION');
    expect(error.message).toContain('bio.json');
  });

  it('says the contents are damaged when the password is right but the vault was changed', async () => {
    const vault = sealAegisVault(plainDb, 'pw', FAST) as { db: string };
    const bytes = Buffer.from(vault.db, 'base64');
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    vault.db = bytes.toString('base64');
    const error = await rejection(
      aegisFormat.decode(sniffJson('flipped.json', vault), { password: 'pw' }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('flipped.json');
  });

  it('refuses scrypt settings that would exhaust memory, without running them', async () => {
    const vault = sealAegisVault(plainDb, 'pw', FAST) as {
      header: { slots: Array<Record<string, unknown>> };
    };
    for (const slot of vault.header.slots) slot.n = 2 ** 30;
    const error = await rejection(
      aegisFormat.decode(sniffJson('huge.json', vault), { password: 'pw' }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('N=1073741824');
  });

  it('reports a garbled ciphertext, nonce or slot as IMPORT_MALFORMED', async () => {
    const build = () =>
      sealAegisVault(plainDb, 'pw', FAST) as {
        db: string;
        header: { params: Record<string, unknown>; slots: Array<Record<string, unknown>> };
      };
    const garbled = build();
    garbled.db = '!!not base64!!';
    const badNonce = build();
    badNonce.header.params.nonce = 'xyz';
    const badSlot = build();
    delete badSlot.header.slots[0]?.salt;
    const noSlots = build() as unknown as { header: { slots: unknown } };
    noSlots.header.slots = null;
    for (const vault of [garbled, badNonce, badSlot, noSlots]) {
      const error = await rejection(
        aegisFormat.decode(sniffJson('bad.json', vault), { password: 'pw' }),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.message).toContain('bad.json');
    }
  });
});

describe('Aegis vault: damaged or unusual content', () => {
  it('a truncated file is not taken for a vault, and decoding it says what is wrong', async () => {
    const text = readFixture('aegis/plain.json');
    const input = sniffText('cut.json', text.slice(0, Math.floor(text.length / 2)));
    expect(aegisFormat.detect(input)).toBe(false);
    const error = await rejection(aegisFormat.decode(input, {}));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('cut.json');
  });

  it('a vault without entries is malformed', async () => {
    const vault = { version: 1, header: { slots: null, params: null }, db: { version: 3 } };
    const error = await rejection(aegisFormat.decode(sniffJson('empty.json', vault), {}));
    expect(error.code).toBe('IMPORT_MALFORMED');
  });

  it('lists broken entries as skipped and keeps the rest', async () => {
    const vault = vaultWith([
      totp({ name: 'ok' }),
      totp({ name: 'no-info', info: undefined }),
      'not an entry',
      totp({ name: 'short' }, { digits: 4 }),
      totp({ name: 'no-secret' }, { secret: undefined }),
      totp({ name: 'weird', type: 'sha-pot' }),
      totp({ name: 'hotp-no-counter', type: 'hotp' }, { period: undefined }),
    ]);
    const source = await aegisFormat.decode(sniffJson('mixed.json', vault), {});
    expect(source.entries.map((entry) => entry.params.account)).toEqual(['ok', 'hotp-no-counter']);
    expect(source.entries[1]?.defaulted).toEqual(['counter']);
    expect(source.skipped.map(({ name, code }) => [name, code])).toEqual([
      ['Example:no-info', 'ENTRY_MALFORMED'],
      ['Entry 3', 'ENTRY_MALFORMED'],
      ['Example:short', 'DIGITS_INVALID'],
      ['Example:no-secret', 'SECRET_EMPTY'],
      ['Example:weird', 'TYPE_UNSUPPORTED'],
    ]);
  });

  it('lists what the file did not say as defaulted', async () => {
    const vault = vaultWith([totp({}, { algo: undefined, digits: undefined, period: undefined })]);
    const [entry] = (await aegisFormat.decode(sniffJson('sparse.json', vault), {})).entries;
    expect(entry?.defaulted).toEqual(['algorithm', 'digits', 'period']);
    expect(entry?.params).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });
  });

  it('ignores groups it cannot name and trims tags to what the vault accepts', async () => {
    const long = 'G'.repeat(100);
    const vault = vaultWith(
      [totp({ groups: ['known', 'unknown', 7] })],
      [
        { uuid: 'known', name: long },
        { uuid: 'other', name: 'Other' },
      ],
    );
    const [entry] = (await aegisFormat.decode(sniffJson('groups.json', vault), {})).entries;
    expect(entry?.tags).toEqual(['G'.repeat(64)]);
  });

  it('never throws anything but ChronokeyError for arbitrary vault-shaped JSON', async () => {
    const hex = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('hex'));
    const info = fc.record(
      {
        secret: field(base32Secret),
        algo: field(fc.constantFrom('SHA1', 'SHA256', 'SHA512', 'MD5', 'sha1', '')),
        digits: field(fc.integer({ min: -2, max: 12 })),
        period: field(fc.integer({ min: -2, max: 120 })),
        counter: field(fc.integer({ min: -2, max: 2 ** 53 })),
      },
      { requiredKeys: [] },
    );
    const entry = fc.record(
      {
        type: field(fc.constantFrom('totp', 'hotp', 'steam', 'motp', 'yandex', 'TOTP')),
        name: field(fc.string()),
        issuer: field(fc.string()),
        favorite: field(fc.boolean()),
        info: field(info),
        groups: field(fc.array(fc.constantFrom('a', 'b'))),
        group: field(fc.string()),
      },
      { requiredKeys: [] },
    );
    const slot = fc.record(
      {
        type: field(fc.constantFrom(0, 1, 2)),
        n: field(fc.constantFrom(0, 1, 2, 3, 16, 1024, 2 ** 31, 2 ** 40)),
        r: field(fc.integer({ min: -1, max: 8 })),
        p: field(fc.integer({ min: -1, max: 2 })),
        salt: field(hex),
        key: field(hex),
        key_params: field(fc.record({ nonce: field(hex), tag: field(hex) }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    );
    const vault = fc.record(
      {
        version: field(fc.integer()),
        header: field(
          fc.record(
            {
              slots: field(fc.oneof(fc.constant(null), fc.array(slot, { maxLength: 3 }))),
              params: field(
                fc.record({ nonce: field(hex), tag: field(hex) }, { requiredKeys: [] }),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        db: field(
          fc.oneof(
            fc.base64String(),
            fc.record(
              {
                version: field(fc.integer()),
                entries: field(fc.array(entry, { maxLength: 6 })),
                groups: field(
                  fc.array(
                    fc.record({ uuid: field(fc.constantFrom('a', 'b')), name: field(fc.string()) }),
                  ),
                ),
              },
              { requiredKeys: [] },
            ),
          ),
        ),
      },
      { requiredKeys: [] },
    );
    await expectOnlyChronokeyErrors(aegisFormat, vault);
  });
});
