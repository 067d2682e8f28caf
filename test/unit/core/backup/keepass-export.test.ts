import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAccounts } from '../../../../main/core/backup/export';
import { readKeePassDatabase } from '../../../../main/core/backup/keepass-export';
import { keePassFormat } from '../../../../main/core/import/formats/keepass';
import { kdbxweb } from '../../../../main/core/import/formats/kdbx-engine';
import { sniffInput } from '../../../../main/core/import/sniff';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import { referenceCode, sampleAccounts } from './backup-fixtures';

/**
 * Export for KeePassXC: a KDBX 4 file (Argon2id) with one entry per account, read back by
 * kdbxweb as KeePassXC would, and round-tripped through Chronokey's own KDBX import with the same
 * codes.
 */

const PASSWORD = 'keepass export password';
let dir: string;
const deps = () => ({ fs: nodeVaultFs, now: () => 1_733_000_000_000 });

beforeEach(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'chronokey-kdbx-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Export for KeePassXC', () => {
  it('writes a verified KDBX 4 with Argon2id and one entry per account', async () => {
    const accounts = sampleAccounts(9).map((account, index) => ({
      ...account,
      ...(index === 1 ? { note: 'Recovery codes are in the drawer' } : {}),
    }));
    const path = join(dir, 'keepassxc.kdbx');
    const result = await exportAccounts(deps(), accounts, 'kdbx', path, { password: PASSWORD });
    expect(result).toEqual({ path, verified: true, accounts: 9 });

    const bytes = await readFile(path);
    const db = await kdbxweb.Kdbx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(PASSWORD)),
    );
    expect(db.header.versionMajor).toBe(4);
    const kdf = Buffer.from(db.header.kdfParameters!.get('$UUID') as ArrayBuffer).toString(
      'base64',
    );
    expect(kdf).toBe(kdbxweb.Consts.KdfId.Argon2id);
    expect(Number(db.header.kdfParameters!.get('M'))).toBe(64 * 1024 * 1024);

    const entries = await readKeePassDatabase(bytes, PASSWORD);
    expect(entries).toHaveLength(9);
    accounts.forEach((account, index) => {
      const entry = entries[index]!;
      expect(entry.title).toBe(account.issuer !== '' ? account.issuer : account.account);
      expect(entry.username).toBe(account.account);
      expect(entry.tags).toEqual(account.tags);
      expect(entry.notes).toBe(account.note ?? '');
      if (account.type === 'steam') {
        expect(entry.otp).toMatch(/^otpauth:\/\/totp\/.*&encoder=steam$/);
      } else {
        expect(entry.otp).toMatch(new RegExp(`^otpauth://${account.type}/`));
      }
    });
    // HOTP also in KeePass 2's own fields, which KeePass shows without a plugin.
    const hotp = db.getDefaultGroup().entries.find((entry) => {
      const value = entry.fields.get('HmacOtp-Counter');
      return value !== undefined;
    });
    expect(hotp).toBeDefined();
  });

  it('round-trips through the KDBX import with identical codes', async () => {
    const accounts = sampleAccounts(12);
    const path = join(dir, 'round.kdbx');
    await exportAccounts(deps(), accounts, 'kdbx', path, { password: PASSWORD });
    const input = sniffInput({ name: 'round.kdbx', bytes: new Uint8Array(await readFile(path)) });
    expect(keePassFormat.detect(input)).toBe(true);
    const source = await keePassFormat.decode(input, { password: PASSWORD });
    expect(source.skipped).toEqual([]);
    expect(source.entries).toHaveLength(accounts.length);
    const now = 1_733_000_123_456;
    source.entries.forEach((entry, index) => {
      const account = accounts[index]!;
      expect(entry.params.type).toBe(account.type);
      expect(entry.params.secret).toBe(account.secret);
      expect(entry.tags).toEqual(account.tags);
      expect(referenceCode({ ...account, ...entry.params }, now)).toBe(referenceCode(account, now));
    });
  });

  it('is not opened by another password, and needs one', async () => {
    const path = join(dir, 'locked.kdbx');
    await exportAccounts(deps(), sampleAccounts(2), 'kdbx', path, { password: PASSWORD });
    await expect(readKeePassDatabase(await readFile(path), 'other password')).rejects.toMatchObject(
      {
        code: 'BACKUP_CORRUPT',
      },
    );
    await expect(
      exportAccounts(deps(), sampleAccounts(2), 'kdbx', join(dir, 'none.kdbx'), {}),
    ).rejects.toMatchObject({ code: 'BACKUP_PASSWORD_REQUIRED' });
  });
});
