import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitwardenFormat } from '../../../../../main/core/import/formats/bitwarden';
import {
  allSamples,
  base32Secret,
  expectedFor,
  expectOnlyChronokeyErrors,
  expectSampleMatches,
  field,
  rejection,
  sniffFixture,
  sniffJson,
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

  it('detects Bitwarden exports and nothing else among the samples', () => {
    for (const path of allSamples()) {
      expect(bitwardenFormat.detect(sniffFixture(path)), path).toBe(path.startsWith('bitwarden/'));
    }
  });
});

describe('Bitwarden export: unusual content', () => {
  it('refuses a password-protected export the same way', async () => {
    const protectedExport = {
      encrypted: true,
      passwordProtected: true,
      salt: 'c2FsdA==',
      kdfType: 0,
      kdfIterations: 600000,
      encKeyValidation_DO_NOT_EDIT: '2.aXY=|Y3Q=|bWFj',
      data: '2.aXY=|Y3Q=|bWFj',
    };
    const input = sniffJson('bitwarden_encrypted_export.json', protectedExport);
    expect(bitwardenFormat.detect(input)).toBe(true);
    const error = await rejection(bitwardenFormat.decode(input, {}));
    expect(error.code).toBe('IMPORT_UNSUPPORTED_ENCRYPTION');
    expect(error.message).toContain('bitwarden_encrypted_export.json');
  });

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
