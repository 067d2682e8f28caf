import { createDecipheriv, createHash, scryptSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Account } from '../../../../shared/domain';
import { ChronokeyError } from '../../../../shared/errors';
import {
  accountsHash,
  decryptBackup,
  decryptBackupWithKey,
  deriveBackupKey,
  encodeBackup,
  encryptBackup,
} from '../../../../main/core/backup/backup-format';
import { codeView } from '../../../../main/core/codes';
import { createCodeCache } from '../../../../main/core/otp/generate';
import { expectCode } from '../vault/helpers/deps';
import { referenceCode, sampleAccounts } from './backup-fixtures';

const PASSWORD = 'correct horse battery staple';
const NOW = 1_733_000_000_000;

/**
 * A decryptor written only from docs/backup-format.md with node:crypto: if the document and the
 * code ever disagree, this fails.
 */
function independentDecrypt(file: Buffer, password: string): unknown {
  expect(file.subarray(0, 8).toString('ascii')).toBe('CHRONOKB');
  expect(file.readUInt16BE(8)).toBe(1);
  const h = file.readUInt32BE(10);
  const header = JSON.parse(file.subarray(14, 14 + h).toString('utf8')) as {
    kdf: string;
    n: number;
    r: number;
    p: number;
    salt: string;
    nonce: string;
    wrappedKey: string;
  };
  const checksum = createHash('sha256')
    .update(file.subarray(0, 14 + h))
    .digest();
  expect(checksum.equals(file.subarray(14 + h, 46 + h))).toBe(true);
  expect(header.kdf).toBe('scrypt');
  expect(header.n).toBeGreaterThanOrEqual(2 ** 15);
  const wrappingKey = scryptSync(
    Buffer.from(password.normalize('NFC'), 'utf8'),
    Buffer.from(header.salt, 'base64'),
    32,
    {
      N: header.n,
      r: header.r,
      p: header.p,
      maxmem: 256 * 1024 * 1024,
    },
  );
  const gcmOpen = (key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]);
  };
  const dataKey = gcmOpen(
    wrappingKey,
    Buffer.from(header.nonce, 'base64'),
    Buffer.from(header.wrappedKey, 'base64'),
    Buffer.from('chronokey-backup-key:v1', 'utf8'),
  );
  const prefix = file.subarray(0, 46 + h);
  const plain = gcmOpen(dataKey, file.subarray(46 + h, 58 + h), file.subarray(58 + h), prefix);
  return JSON.parse(plain.toString('utf8'));
}

describe('Chronokey backup format', () => {
  it('round-trips 1,200 accounts of every type with every field and the same codes', async () => {
    const accounts = sampleAccounts(1200);
    const file = await encryptBackup(accounts, PASSWORD, { now: NOW });
    const payload = await decryptBackup(file, PASSWORD, 'backup.ckb');
    expect(payload.accounts).toEqual(accounts);
    expect(payload.exportedAt).toBe(NOW);
    expect(accountsHash(payload.accounts)).toBe(accountsHash(accounts));
    const cache = createCodeCache();
    for (const [index, account] of payload.accounts.entries()) {
      const at = NOW + index * 7_000;
      expect(codeView(account, at, cache).code).toBe(referenceCode(accounts[index]!, at));
    }
    expect(new Set(accounts.map((a) => a.type))).toEqual(new Set(['totp', 'hotp', 'steam']));
  });

  it('is readable by a decryptor written from docs/backup-format.md', async () => {
    const accounts = sampleAccounts(30);
    const file = await encryptBackup(accounts, 'pässwörd', { now: NOW });
    const payload = independentDecrypt(file, 'pässwörd') as {
      format: string;
      version: number;
      accounts: unknown[];
    };
    expect(payload.format).toBe('chronokey-backup');
    expect(payload.version).toBe(1);
    expect(payload.accounts.map((a) => Account.parse(a))).toEqual(accounts);
  });

  it('says the password is wrong, and tells it apart from damage', async () => {
    const file = await encryptBackup(sampleAccounts(3), PASSWORD, { now: NOW });
    const wrong = await expectCode(
      decryptBackup(file, 'not it', 'mine.ckb'),
      'BACKUP_WRONG_PASSWORD',
    );
    expect(wrong.message).toContain('mine.ckb');
    const flipped = Buffer.from(file);
    flipped[flipped.length - 20]! ^= 0x01;
    await expectCode(decryptBackup(flipped, PASSWORD, 'mine.ckb'), 'BACKUP_DAMAGED');
  });

  it('refuses truncated files and files from a newer format version', async () => {
    const file = await encryptBackup(sampleAccounts(3), PASSWORD, { now: NOW });
    for (const length of [0, 4, 8, 13, 20, file.length - 17, file.length - 1]) {
      const error = await expectCode(
        decryptBackup(file.subarray(0, length), PASSWORD, 'cut.ckb').then(() => null),
        length < 8 ? 'BACKUP_NOT_CHRONOKEY' : 'BACKUP_DAMAGED',
      );
      expect(error.message).toContain('cut.ckb');
    }
    const newer = Buffer.from(file);
    newer.writeUInt16BE(2, 8);
    const error = await expectCode(
      decryptBackup(newer, PASSWORD, 'new.ckb'),
      'BACKUP_VERSION_UNSUPPORTED',
    );
    expect(error.message).toMatch(/newer Chronokey/);
    await expectCode(
      decryptBackup(Buffer.from('{"hello": 1}'), PASSWORD, 'x.json'),
      'BACKUP_NOT_CHRONOKEY',
    );
  });

  it('refuses weak or absurd key-derivation parameters in a header as damage', async () => {
    const key = await deriveBackupKey(PASSWORD);
    const file = encodeBackup(
      sampleAccounts(1),
      { ...key, params: { n: 2 ** 14, r: 8, p: 1 } },
      { now: NOW },
    );
    await expectCode(decryptBackup(file, PASSWORD, 'weak.ckb'), 'BACKUP_DAMAGED');
  });

  it('rejects ANY single-byte change (every offset of a small backup, random values)', async () => {
    const key = await deriveBackupKey(PASSWORD);
    const file = encodeBackup(sampleAccounts(2), key, { now: NOW });
    expect(decryptBackupWithKey(file, key, 'ok.ckb').accounts).toHaveLength(2);
    for (let offset = 0; offset < file.length; offset++) {
      for (const xor of [0x01, 0x80, 0xff]) {
        const changed = Buffer.from(file);
        changed[offset]! ^= xor;
        expect(() => decryptBackupWithKey(changed, key, 'x.ckb'), `offset ${offset}`).toThrow(
          ChronokeyError,
        );
      }
    }
    fc.assert(
      fc.property(
        fc.nat({ max: file.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (offset, xor) => {
          const changed = Buffer.from(file);
          changed[offset]! ^= xor;
          expect(() => decryptBackupWithKey(changed, key, 'x.ckb')).toThrow(ChronokeyError);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a changed byte is rejected by the password path too (sampled offsets)', async () => {
    const file = await encryptBackup(sampleAccounts(2), PASSWORD, { now: NOW });
    for (const offset of [0, 9, 12, 20, file.length - 60, file.length - 30, file.length - 1]) {
      const changed = Buffer.from(file);
      changed[offset]! ^= 0x04;
      await expect(decryptBackup(changed, PASSWORD, 'x.ckb')).rejects.toBeInstanceOf(
        ChronokeyError,
      );
    }
  });

  it('never crashes on arbitrary bytes, with or without the magic', async () => {
    const key = await deriveBackupKey(PASSWORD);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, withMagic) => {
        const input = withMagic
          ? Buffer.concat([Buffer.from('CHRONOKB'), bytes])
          : Buffer.from(bytes);
        expect(() => decryptBackupWithKey(input, key, 'fuzz.ckb')).toThrow(ChronokeyError);
      }),
      { numRuns: 1000 },
    );
  });

  it('uses fresh salt, key and nonces for every backup', async () => {
    const accounts = sampleAccounts(2);
    const a = await encryptBackup(accounts, PASSWORD, { now: NOW });
    const b = await encryptBackup(accounts, PASSWORD, { now: NOW });
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from(accounts[0]!.secret))).toBe(false);
  });
});
