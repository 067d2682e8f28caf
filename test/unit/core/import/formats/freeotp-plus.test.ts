import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeOtpPlusFormat } from '../../../../../main/core/import/formats/freeotp-plus';
import { base32ToBytes } from '../../../../../main/core/otp/base32';
import {
  allSamples,
  expectOnlyChronokeyErrors,
  expectSampleMatches,
  field,
  rejection,
  sniffFixture,
  sniffJson,
} from './app-backup-fixtures';

const signed = (base32: string) =>
  Array.from(base32ToBytes(base32), (byte) => (byte > 127 ? byte - 256 : byte));

function token(overrides: Record<string, unknown> = {}) {
  return {
    algo: 'SHA1',
    counter: 0,
    digits: 6,
    issuerExt: 'Example',
    issuerInt: 'Example',
    label: 'alice',
    period: 30,
    secret: signed('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
    type: 'TOTP',
    ...overrides,
  };
}

describe('FreeOTP+ backup: samples', () => {
  it('reads tokens in tokenOrder, signed-byte secrets as base32, edited names, Steam by issuer', async () => {
    await expectSampleMatches(freeOtpPlusFormat, 'freeotp-plus/backup.json');
  });

  it('detects FreeOTP+ backups and nothing else among the samples', () => {
    for (const path of allSamples()) {
      expect(freeOtpPlusFormat.detect(sniffFixture(path)), path).toBe(
        path.startsWith('freeotp-plus/'),
      );
    }
  });
});

describe('FreeOTP+ backup: unusual content', () => {
  it('keeps file order without a tokenOrder, and reads unsigned bytes too', async () => {
    const unsigned = Array.from(base32ToBytes('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'));
    const source = await freeOtpPlusFormat.decode(
      sniffJson('tokens.json', {
        tokens: [token({ label: 'first' }), token({ label: 'second', secret: unsigned })],
      }),
      {},
    );
    expect(source.entries.map((entry) => entry.params.account)).toEqual(['first', 'second']);
    expect(source.entries[1]?.params.secret).toBe('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU');
  });

  it('two tokens with the same id are both kept, in order', async () => {
    const source = await freeOtpPlusFormat.decode(
      sniffJson('dupes.json', {
        tokenOrder: ['Example:alice', 'Example:alice'],
        tokens: [token({ digits: 7 }), token({ digits: 8 })],
      }),
      {},
    );
    expect(source.entries.map((entry) => entry.params.digits)).toEqual([7, 8]);
  });

  it('lists broken tokens as skipped, with defaults named for what is missing', async () => {
    const source = await freeOtpPlusFormat.decode(
      sniffJson('mixed.json', {
        tokenOrder: [],
        tokens: [
          token({ label: 'ok', algo: undefined, digits: undefined, period: undefined }),
          token({ label: 'bytes', secret: [1, 2, 300] }),
          token({ label: 'text-secret', secret: 'JBSWY3DP' }),
          token({ label: 'empty', secret: [] }),
          token({ label: 'unknown', type: 'MOTP' }),
          null,
        ],
      }),
      {},
    );
    expect(source.entries.map((entry) => [entry.params.account, entry.defaulted])).toEqual([
      ['ok', ['algorithm', 'digits', 'period']],
    ]);
    expect(source.skipped.map(({ name, code }) => [name, code])).toEqual([
      ['Example:bytes', 'ENTRY_MALFORMED'],
      ['Example:text-secret', 'ENTRY_MALFORMED'],
      ['Example:empty', 'SECRET_EMPTY'],
      ['Example:unknown', 'TYPE_UNSUPPORTED'],
      ['Token 6', 'ENTRY_MALFORMED'],
    ]);
  });

  it('something else is malformed and says which file', async () => {
    const error = await rejection(
      freeOtpPlusFormat.decode(sniffJson('nope.json', { tokens: 'x' }), {}),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('nope.json');
  });

  it('never throws anything but ChronokeyError for arbitrary FreeOTP+-shaped JSON', async () => {
    const shapedToken = fc.record(
      {
        algo: field(fc.constantFrom('SHA1', 'sha256', 'SHA512', 'MD5')),
        counter: field(fc.integer({ min: -1, max: 2 ** 53 })),
        digits: field(fc.integer({ min: 0, max: 12 })),
        issuerExt: field(fc.constantFrom('Steam', 'X', '')),
        issuerInt: field(fc.string()),
        issuerAlt: field(fc.string()),
        label: field(fc.string()),
        labelAlt: field(fc.string()),
        period: field(fc.integer({ min: -1, max: 90 })),
        secret: field(fc.array(fc.integer({ min: -200, max: 300 }), { maxLength: 40 })),
        type: field(fc.constantFrom('TOTP', 'HOTP', 'totp', 'STEAM')),
      },
      { requiredKeys: [] },
    );
    const backup = fc.record(
      {
        tokenOrder: field(fc.array(fc.oneof(fc.string(), fc.constantFrom('X:a', 'a')))),
        tokens: field(fc.array(shapedToken, { maxLength: 6 })),
      },
      { requiredKeys: [] },
    );
    await expectOnlyChronokeyErrors(freeOtpPlusFormat, backup);
  });
});
