import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitwardenFormat } from '../../../../../main/core/import/formats/bitwarden';
import {
  readFixture,
  sealBitwardenExport,
  seededRandom,
} from '../../../../fixtures/import/make-samples';
import {
  allSamples,
  base32Secret,
  expectedFor,
  expectOnlyChronokeyErrors,
  expectSampleMatches,
  field,
  rejection,
  summarize,
  sniffFixture,
  sniffJson,
  sniffText,
} from './app-backup-fixtures';

function exportWith(items: unknown[], extra: Record<string, unknown> = {}) {
  return { encrypted: false, folders: [], items, ...extra };
}

function login(totp: unknown, overrides: Record<string, unknown> = {}) {
  return {
    type: 1,
    name: 'Example',
    favorite: false,
    folderId: null,
    login: { username: 'alice', password: 'x', totp },
    ...overrides,
  };
}

describe('Bitwarden export: samples', () => {
  it('reads links, bare secrets and steam:// keys; folders become tags; items without a key are passed over', async () => {
    await expectSampleMatches(bitwardenFormat, 'bitwarden/export.json');
  });

  it('refuses an encrypted (account-restricted) export with IMPORT_UNSUPPORTED_ENCRYPTION', async () => {
    const input = sniffFixture('bitwarden/encrypted-account.json');
    expect(bitwardenFormat.detect(input)).toBe(true);
    expect(bitwardenFormat.isEncrypted(input)).toBe(false);
    const error = await rejection(bitwardenFormat.decode(input, { password: 'anything' }));
    expect(error.code).toBe(expectedFor('bitwarden/encrypted-account.json').error);
    expect(error.message).toContain('encrypted-account.json');
    expect(error.message).toContain('unencrypted');
  });

  it('reads the password-protected sample to the same accounts as the plain export', async () => {
    const source = await expectSampleMatches(bitwardenFormat, 'bitwarden/password-protected.json');
    expect(source.label).toBe('Bitwarden export (password-protected)');
    expect(summarize(source)).toEqual(
      summarize(await expectSampleMatches(bitwardenFormat, 'bitwarden/export.json')),
    );
  });

  it('detects Bitwarden JSON exports and nothing else among the samples', () => {
    for (const path of allSamples()) {
      const json = path.startsWith('bitwarden/') && path.endsWith('.json');
      expect(bitwardenFormat.detect(sniffFixture(path)), path).toBe(json);
    }
  });
});

describe('Bitwarden export: password-protected', () => {
  const PASSWORD = 'pässwörd with spaces';
  const plain = exportWith([login('JBSWY3DPEHPK3PXP', { name: 'Sealed Site' })]);
  const PBKDF2 = { kdfType: 0, kdfIterations: 5_000 } as const;
  const ARGON2 = { kdfType: 1, kdfIterations: 2, kdfMemory: 16, kdfParallelism: 1 } as const;
  const seal = (kdf: typeof PBKDF2 | typeof ARGON2 = PBKDF2, seed = 'bw-test') =>
    sealBitwardenExport(plain, PASSWORD, seededRandom(seed), kdf);
  /** Flips the first character of one of an EncString's three parts. */
  const tamper = (encString: unknown, part: 0 | 1 | 2): string => {
    const [type, rest] = String(encString).split('.');
    const parts = (rest ?? '').split('|');
    const target = parts[part] ?? '';
    parts[part] = (target.startsWith('A') ? 'B' : 'A') + target.slice(1);
    return `${type}.${parts.join('|')}`;
  };

  for (const [name, kdf] of [
    ['PBKDF2-SHA256', PBKDF2],
    ['Argon2id', ARGON2],
  ] as const) {
    it(`opens a ${name} export with its password and reads the export inside`, async () => {
      const input = sniffJson('bitwarden_encrypted_export.json', seal(kdf));
      expect(bitwardenFormat.detect(input)).toBe(true);
      expect(bitwardenFormat.isEncrypted(input)).toBe(true);
      const source = await bitwardenFormat.decode(input, { password: PASSWORD });
      expect(source).toMatchObject({
        format: 'bitwarden',
        label: 'Bitwarden export (password-protected)',
        skipped: [],
      });
      expect(source.entries.map((entry) => entry.params)).toMatchObject([
        { type: 'totp', issuer: 'Sealed Site', account: 'alice', secret: 'JBSWY3DPEHPK3PXP' },
      ]);
    });

    it(`a ${name} export: no password asks for one, a wrong one is IMPORT_WRONG_PASSWORD`, async () => {
      const input = sniffJson('bitwarden_encrypted_export.json', seal(kdf));
      const missing = await rejection(bitwardenFormat.decode(input, {}));
      expect(missing.code).toBe('IMPORT_PASSWORD_REQUIRED');
      expect(missing.message).toContain('bitwarden_encrypted_export.json');
      for (const password of [`${PASSWORD}x`, '', PASSWORD.toUpperCase()]) {
        const wrong = await rejection(bitwardenFormat.decode(input, { password }));
        expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
        expect(wrong.message).toContain('bitwarden_encrypted_export.json');
      }
    });
  }

  it('uses the salt as text for PBKDF2 and its SHA-256 for Argon2id (other salts fail)', async () => {
    for (const kdf of [PBKDF2, ARGON2]) {
      const sealed = seal(kdf);
      const salt = String(sealed.salt);
      const asBytes = Buffer.from(salt, 'base64').toString('latin1');
      const error = await rejection(
        bitwardenFormat.decode(sniffJson('salt.json', { ...sealed, salt: asBytes }), {
          password: PASSWORD,
        }),
      );
      expect(error.code).toBe('IMPORT_WRONG_PASSWORD');
    }
  });

  it('a changed validation value reads as a wrong password; changed data is damaged, not imported', async () => {
    const sealed = seal();
    for (const part of [0, 1, 2] as const) {
      const badCheck = {
        ...sealed,
        encKeyValidation_DO_NOT_EDIT: tamper(sealed.encKeyValidation_DO_NOT_EDIT, part),
      };
      const wrong = await rejection(
        bitwardenFormat.decode(sniffJson('check.json', badCheck), { password: PASSWORD }),
      );
      expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
      const badData = { ...sealed, data: tamper(sealed.data, part) };
      const damaged = await rejection(
        bitwardenFormat.decode(sniffJson('data.json', badData), { password: PASSWORD }),
      );
      expect(damaged.code).toBe('IMPORT_MALFORMED');
      expect(damaged.message).toContain('data.json');
      expect(damaged.message).toContain('integrity');
    }
  });

  it('refuses unusable key settings before deriving anything', async () => {
    const sealed = seal();
    for (const change of [
      { kdfType: 2 },
      { kdfType: '0' },
      { kdfIterations: 4_999 },
      { kdfIterations: 2_000_001 },
      { kdfIterations: 5_000.5 },
      { kdfType: 1, kdfIterations: 2, kdfMemory: 4096, kdfParallelism: 1 },
      { kdfType: 1, kdfIterations: 1, kdfMemory: 16, kdfParallelism: 1 },
      { kdfType: 1, kdfIterations: 2, kdfMemory: 16 },
      { salt: '' },
      { data: '0.aXY=|Y3Q=' },
      { data: '2.aXY=|Y3Q=|bWFj' },
      { encKeyValidation_DO_NOT_EDIT: 'not an EncString' },
    ]) {
      const error = await rejection(
        bitwardenFormat.decode(sniffJson('settings.json', { ...sealed, ...change }), {
          password: PASSWORD,
        }),
      );
      expect(error.code, JSON.stringify(change)).toBe('IMPORT_MALFORMED');
      expect(error.message).toContain('settings.json');
    }
  });

  it('refuses content that is not an unencrypted export', async () => {
    for (const inner of [{ encrypted: true, data: 'x' }, ['not', 'an', 'export'], { items: 3 }]) {
      const sealed = sealBitwardenExport(inner, PASSWORD, seededRandom('inner'), PBKDF2);
      const error = await rejection(
        bitwardenFormat.decode(sniffJson('inner.json', sealed), { password: PASSWORD }),
      );
      expect(error.code).toBe('IMPORT_MALFORMED');
      expect(error.message).toContain('inner.json');
    }
  });

  it('an account-restricted export asks for no password and is refused clearly', async () => {
    const { passwordProtected: _dropped, ...restricted } = seal();
    const input = sniffJson('restricted.json', restricted);
    expect(bitwardenFormat.isEncrypted(input)).toBe(false);
    const error = await rejection(bitwardenFormat.decode(input, { password: PASSWORD }));
    expect(error.code).toBe('IMPORT_UNSUPPORTED_ENCRYPTION');
    expect(error.message).toContain('restricted.json');
  });

  it('the committed sample opens only with its password', async () => {
    const input = sniffText(
      'password-protected.json',
      readFixture('bitwarden/password-protected.json'),
    );
    const wrong = await rejection(
      bitwardenFormat.decode(input, { password: 'Correct horse battery staple' }),
    );
    expect(wrong.code).toBe('IMPORT_WRONG_PASSWORD');
  });

  it('never throws anything but ChronokeyError for arbitrary password-protected headers', async () => {
    const sealed = seal();
    const header = fc.record(
      {
        encrypted: fc.constant(true),
        passwordProtected: field(fc.constant(true)),
        salt: field(fc.constantFrom(sealed.salt, '', 'salt')),
        kdfType: field(fc.constantFrom(0, 1, 2)),
        kdfIterations: field(fc.constantFrom(5_000, 2, 0, -1, 1e12)),
        kdfMemory: field(fc.constantFrom(16, 0, 1e9)),
        kdfParallelism: field(fc.constantFrom(1, 0, 64)),
        encKeyValidation_DO_NOT_EDIT: field(
          fc.oneof(fc.constant(sealed.encKeyValidation_DO_NOT_EDIT), fc.string()),
        ),
        data: field(fc.oneof(fc.constant(sealed.data), fc.string())),
      },
      { requiredKeys: ['encrypted'] },
    );
    await expectOnlyChronokeyErrors(bitwardenFormat, header, 60);
  });
});

describe('Bitwarden export: unusual content', () => {
  it('fills a link without names from the item, keeps the link’s own warnings', async () => {
    const source = await bitwardenFormat.decode(
      sniffJson(
        'names.json',
        exportWith([
          login('otpauth://totp/?secret=JBSWY3DPEHPK3PXP', { name: 'Item Name' }),
          login('otpauth://totp/Label%20Co:bob?secret=JBSWY3DPEHPK3PXP&issuer=Param%20Co'),
        ]),
      ),
      {},
    );
    expect(source.entries[0]?.params).toMatchObject({ issuer: 'Item Name', account: 'alice' });
    expect(source.entries[1]?.params).toMatchObject({ issuer: 'Param Co', account: 'bob' });
    expect(source.entries[1]?.warnings.map((warning) => warning.code)).toEqual(['ISSUER_MISMATCH']);
  });

  it('tags with folder and collection names, marks favourites', async () => {
    const source = await bitwardenFormat.decode(
      sniffJson(
        'org.json',
        exportWith(
          [
            login('JBSWY3DPEHPK3PXP', {
              favorite: true,
              folderId: 'f',
              collectionIds: ['c1', 'c2', 'zz'],
            }),
          ],
          {
            folders: [{ id: 'f', name: 'Folder' }],
            collections: [
              { id: 'c1', name: 'Team' },
              { id: 'c2', name: 'Folder' },
            ],
          },
        ),
      ),
      {},
    );
    expect(source.entries[0]?.tags).toEqual(['Folder', 'Team']);
    expect(source.entries[0]?.favourite).toBe(true);
  });

  it('lists an unusable key as skipped with the link parser’s code', async () => {
    const source = await bitwardenFormat.decode(
      sniffJson(
        'bad.json',
        exportWith([
          login('otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&algorithm=MD5', { name: 'Md5 Site' }),
          login('otpauth://totp/X:y', { name: 'No Secret' }),
          login('steam://', { name: 'Empty Steam' }),
          login('JBSWY3DPEHPK3PXP', { name: 'N'.repeat(600) }),
          login('   ', { name: 'Blank key is no key' }),
        ]),
      ),
      {},
    );
    expect(source.entries).toEqual([]);
    expect(source.skipped.map((entry) => entry.code)).toEqual([
      'ALGORITHM_UNSUPPORTED',
      'SECRET_MISSING',
      'SECRET_EMPTY',
      'LABEL_TOO_LONG',
    ]);
  });

  it('an export without items is malformed; one with no keys yields nothing', async () => {
    const error = await rejection(
      bitwardenFormat.decode(sniffJson('x.json', { encrypted: false, data: 'x' }), {}),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('x.json');
    const none = await bitwardenFormat.decode(
      sniffJson('y.json', exportWith([login(null), login('')])),
      {},
    );
    expect(none).toMatchObject({ entries: [], skipped: [] });
  });

  it('never throws anything but ChronokeyError for arbitrary Bitwarden-shaped JSON', async () => {
    const totp = field(
      fc.oneof(
        base32Secret,
        base32Secret.map((secret) => `steam://${secret}`),
        fc
          .tuple(fc.string(), base32Secret)
          .map(([label, secret]) => `otpauth://totp/${label}?secret=${secret}`),
        fc.string().map((rest) => `otpauth://${rest}`),
      ),
    );
    const item = fc.record(
      {
        type: field(fc.constantFrom(1, 2, 3, 4)),
        name: field(fc.string()),
        favorite: field(fc.boolean()),
        folderId: field(fc.constantFrom('f1', 'f2')),
        collectionIds: field(fc.array(fc.constantFrom('c1', 'c2'))),
        login: field(fc.record({ username: field(fc.string()), totp }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    );
    const data = fc.record(
      {
        encrypted: field(fc.boolean()),
        passwordProtected: field(fc.boolean()),
        data: field(fc.string()),
        folders: field(
          fc.array(fc.record({ id: field(fc.constantFrom('f1', 'f2')), name: field(fc.string()) })),
        ),
        collections: field(
          fc.array(fc.record({ id: field(fc.constantFrom('c1')), name: field(fc.string()) })),
        ),
        items: field(fc.array(item, { maxLength: 6 })),
      },
      { requiredKeys: [] },
    );
    await expectOnlyChronokeyErrors(bitwardenFormat, data);
  });
});
