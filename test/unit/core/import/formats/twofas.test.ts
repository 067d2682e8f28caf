import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { twoFasFormat } from '../../../../../main/core/import/formats/twofas';
import { readFixture, sealTwoFasBackup } from '../../../../fixtures/import/make-samples';
import {
  allSamples,
  base32Secret,
  expectOnlyChronokeyErrors,
  expectSampleMatches,
  field,
  rejection,
  sniffFixture,
  sniffJson,
  summarize,
} from './app-backup-fixtures';

const plain = JSON.parse(readFixture('2fas/plain.2fas')) as { services: unknown[] } & Record<
  string,
  unknown
>;
const random = (size: number) => randomBytes(size);

function backupWith(services: unknown[], extra: Record<string, unknown> = {}) {
  return { services, groups: [], schemaVersion: 4, ...extra };
}

function service(otp: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Example',
    secret: 'JBSWY3DPEHPK3PXP',
    otp: { account: 'alice', digits: 6, period: 30, algorithm: 'SHA1', tokenType: 'TOTP', ...otp },
    order: { position: 0 },
    ...overrides,
  };
}

type Sealed = { servicesEncrypted: string; reference?: string } & Record<string, unknown>;

describe('2FAS backup: samples', () => {
  it('reads a plain backup in the app order, with groups as tags and unset fields listed as defaulted', async () => {
    const source = await expectSampleMatches(twoFasFormat, '2fas/plain.2fas');
    expect(source.label).toBe('2FAS backup');
  });

  it('opens the committed encrypted sample with its password', async () => {
    const source = await expectSampleMatches(twoFasFormat, '2fas/encrypted.2fas');
    expect(source.label).toBe('2FAS backup (encrypted)');
  });

  it('detects 2FAS backups and nothing else among the samples', () => {
    for (const path of allSamples()) {
      expect(twoFasFormat.detect(sniffFixture(path)), path).toBe(path.startsWith('2fas/'));
    }
  });
});

describe('2FAS backup: encryption', () => {
  it('round-trips a backup sealed here, and names the file in its errors', async () => {
    const input = sniffJson('phone.2fas', sealTwoFasBackup(plain, 'hunter2', random));
    expect(twoFasFormat.isEncrypted(input)).toBe(true);
    const opened = await twoFasFormat.decode(input, { password: 'hunter2' });
    const reference = await twoFasFormat.decode(sniffFixture('2fas/plain.2fas'), {});
    expect(summarize(opened)).toEqual(summarize(reference));

    const missing = await rejection(twoFasFormat.decode(input, {}));
    expect(missing.code).toBe('IMPORT_PASSWORD_REQUIRED');
    expect(missing.message).toContain('phone.2fas');
    const wrong = await rejection(twoFasFormat.decode(input, { password: 'hunter3' }));
    expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
    expect(wrong.message).toContain('phone.2fas');
  });

  it('without a reference, a wrong password is still told apart by the services tag', async () => {
    const sealed = sealTwoFasBackup(plain, 'pw', random) as Sealed;
    delete sealed.reference;
    const input = sniffJson('old.2fas', sealed);
    expect((await twoFasFormat.decode(input, { password: 'pw' })).entries).toHaveLength(5);
    expect((await rejection(twoFasFormat.decode(input, { password: 'nope' }))).code).toBe(
      'IMPORT_WRONG_PASSWORD',
    );
  });

  it('right password (the reference opens) but changed services: the file is damaged', async () => {
    const sealed = sealTwoFasBackup(plain, 'pw', random) as Sealed;
    const [data = '', salt, iv] = sealed.servicesEncrypted.split(':');
    const bytes = Buffer.from(data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0x80;
    sealed.servicesEncrypted = `${bytes.toString('base64')}:${salt}:${iv}`;
    const error = await rejection(
      twoFasFormat.decode(sniffJson('flip.2fas', sealed), { password: 'pw' }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('flip.2fas');
  });

  it('garbled or truncated encrypted services are IMPORT_MALFORMED', async () => {
    for (const bad of ['onlyonepart', 'AAAA:AAAA', '!!!:AAAA:AAAA', 'AAAA:AAAA:AAAA', '']) {
      const sealed = sealTwoFasBackup(plain, 'pw', random) as Sealed;
      sealed.servicesEncrypted = bad;
      const input = sniffJson('bad.2fas', sealed);
      if (bad === '') {
        // An empty field means "not encrypted": the (empty) services list is read as is.
        expect(twoFasFormat.isEncrypted(input)).toBe(false);
        expect((await twoFasFormat.decode(input, { password: 'pw' })).entries).toEqual([]);
        continue;
      }
      const error = await rejection(twoFasFormat.decode(input, { password: 'pw' }));
      expect(error.code, bad).toBe('IMPORT_MALFORMED');
      expect(error.message).toContain('bad.2fas');
    }
  });

  it('decrypted content that is not a list of services is IMPORT_MALFORMED', async () => {
    const sealed = sealTwoFasBackup({ ...plain, services: [] }, 'pw', random) as Sealed;
    const notAList = sealTwoFasBackup(
      { services: { not: 'a list' } as unknown as unknown[] },
      'pw',
      (size) => Buffer.alloc(size, 1),
    ) as Sealed;
    expect(
      (await twoFasFormat.decode(sniffJson('empty.2fas', sealed), { password: 'pw' })).entries,
    ).toEqual([]);
    const error = await rejection(
      twoFasFormat.decode(sniffJson('odd.2fas', notAList), { password: 'pw' }),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
  });
});

describe('2FAS backup: unusual content', () => {
  it('takes the issuer from otp.issuer when the name is empty, and the account from the label', async () => {
    const backup = backupWith([
      service({ issuer: 'From OTP', account: '', label: 'From OTP:bob@example.com' }, { name: '' }),
    ]);
    const [entry] = (await twoFasFormat.decode(sniffJson('names.2fas', backup), {})).entries;
    expect(entry?.params).toMatchObject({ issuer: 'From OTP', account: 'bob@example.com' });
  });

  it('lists unknown token types and broken services as skipped, keeping the rest', async () => {
    const backup = backupWith([
      service({ account: 'ok' }),
      service({ account: 'yandex', tokenType: 'YAOTP' }),
      service({ account: 'no-secret' }, { secret: undefined }),
      42,
      service({ account: 'hotp', tokenType: 'HOTP', counter: undefined }),
      service({ account: 'bad-digits', digits: 'six' }),
    ]);
    const source = await twoFasFormat.decode(sniffJson('mixed.2fas', backup), {});
    expect(source.entries.map((entry) => entry.params.account)).toEqual(['ok', 'hotp']);
    expect(source.entries[1]?.defaulted).toEqual(['counter']);
    expect(source.skipped.map(({ name, code }) => [name, code])).toEqual([
      ['Example:yandex', 'TYPE_UNSUPPORTED'],
      ['Example:no-secret', 'SECRET_EMPTY'],
      ['Example:bad-digits', 'ENTRY_MALFORMED'],
      // Services without an order position come last, after the ordered ones.
      ['Service 6', 'ENTRY_MALFORMED'],
    ]);
  });

  it('a backup whose services are not a list is malformed', async () => {
    const error = await rejection(
      twoFasFormat.decode(
        sniffJson('x.2fas', { schemaVersion: 4, services: {}, servicesEncrypted: 3 }),
        {},
      ),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('x.2fas');
  });

  it('never throws anything but ChronokeyError for arbitrary 2FAS-shaped JSON', async () => {
    const otp = fc.record(
      {
        account: field(fc.string()),
        issuer: field(fc.string()),
        label: field(fc.string()),
        digits: field(fc.integer({ min: -1, max: 12 })),
        period: field(fc.integer({ min: -1, max: 90 })),
        counter: field(fc.integer({ min: -1, max: 2 ** 53 })),
        algorithm: field(fc.constantFrom('SHA1', 'SHA256', 'SHA512', 'MD5')),
        tokenType: field(fc.constantFrom('TOTP', 'HOTP', 'STEAM', 'totp', 'OTHER')),
      },
      { requiredKeys: [] },
    );
    const entry = fc.record(
      {
        name: field(fc.string()),
        secret: field(base32Secret),
        otp: field(otp),
        order: field(fc.record({ position: field(fc.integer()) })),
        groupId: field(fc.constantFrom('g1', 'g2')),
      },
      { requiredKeys: [] },
    );
    const sealedLike = fc
      .tuple(fc.base64String(), fc.base64String(), fc.base64String())
      .map((parts) => parts.join(':'));
    const backup = fc.record(
      {
        services: field(fc.array(entry, { maxLength: 6 })),
        groups: field(
          fc.array(fc.record({ id: field(fc.constantFrom('g1', 'g2')), name: field(fc.string()) })),
        ),
        schemaVersion: field(fc.integer({ min: 1, max: 5 })),
        servicesEncrypted: field(sealedLike),
        reference: field(sealedLike),
      },
      { requiredKeys: [] },
    );
    await expectOnlyChronokeyErrors(twoFasFormat, backup);
  });
});
