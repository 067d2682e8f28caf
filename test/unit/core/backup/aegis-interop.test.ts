import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAccounts } from '../../../../main/core/backup/export';
import { aegisFormat } from '../../../../main/core/import/formats/aegis';
import { sniffInput } from '../../../../main/core/import/sniff';
import { nodeVaultFs } from '../../../../main/core/vault/vault-fs';
import { expectCode } from '../vault/helpers/deps';
import { sampleAccounts } from './backup-fixtures';

const PASSWORD = 'export password';
let dir: string;
const deps = () => ({ fs: nodeVaultFs, now: () => 1_733_000_000_000 });

beforeEach(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'chronokey-aegis-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An encrypted Aegis vault built by hand from Aegis's docs/vault.md with node:crypto only. */
function handBuiltAegisVault(db: unknown, password: string): Buffer {
  const gcm = (key: Buffer, plain: Buffer) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { nonce: nonce.toString('hex'), tag: cipher.getAuthTag().toString('hex'), data };
  };
  const masterKey = randomBytes(32);
  const salt = randomBytes(32);
  const derived = scryptSync(Buffer.from(password, 'utf8'), salt, 32, {
    N: 32768,
    r: 8,
    p: 1,
    maxmem: 128 * 1024 * 1024,
  });
  const slot = gcm(derived, masterKey);
  const content = gcm(masterKey, Buffer.from(JSON.stringify(db), 'utf8'));
  return Buffer.from(
    JSON.stringify({
      version: 1,
      header: {
        slots: [
          {
            type: 1,
            uuid: '01234567-89ab-cdef-0123-456789abcdef',
            key: slot.data.toString('hex'),
            key_params: { nonce: slot.nonce, tag: slot.tag },
            n: 32768,
            r: 8,
            p: 1,
            salt: salt.toString('hex'),
          },
        ],
        params: { nonce: content.nonce, tag: content.tag },
      },
      db: content.data.toString('base64'),
    }),
  );
}

describe('Aegis interoperability', () => {
  it("is read by Chronokey's own Aegis importer with every account intact", async () => {
    const accounts = sampleAccounts(24);
    const path = join(dir, 'aegis.json');
    await exportAccounts(deps(), accounts, 'aegis', path, { password: PASSWORD });
    const input = sniffInput({ name: 'aegis.json', bytes: await readFile(path) });
    expect(aegisFormat.detect(input)).toBe(true);
    expect(aegisFormat.isEncrypted(input)).toBe(true);
    const decoded = await aegisFormat.decode(input, { password: PASSWORD });
    expect(decoded.skipped).toEqual([]);
    expect(
      decoded.entries.map((e) => ({ ...e.params, tags: e.tags, favourite: e.favourite })),
    ).toEqual(
      accounts.map((a) => ({
        type: a.type,
        issuer: a.issuer,
        account: a.account,
        secret: a.secret,
        algorithm: a.algorithm,
        digits: a.digits,
        period: a.period,
        counter: a.counter,
        tags: a.tags,
        favourite: a.favourite,
      })),
    );
    await expectCode(aegisFormat.decode(input, { password: 'wrong' }), 'IMPORT_WRONG_PASSWORD');
  });

  it("reads a vault built by hand from Aegis's documentation", async () => {
    const groupUuid = '11111111-2222-4333-8444-555555555555';
    const bytes = handBuiltAegisVault(
      {
        version: 3,
        entries: [
          {
            type: 'totp',
            uuid: '01234567-89ab-4def-8123-456789abcdef',
            name: 'Bob',
            issuer: 'Google',
            note: 'Main account',
            favorite: true,
            icon: null,
            icon_mime: null,
            icon_hash: null,
            info: {
              secret: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
              algo: 'SHA256',
              digits: 8,
              period: 60,
            },
            groups: [groupUuid],
          },
          {
            type: 'hotp',
            uuid: '01234567-89ab-4def-8123-456789abcde0',
            name: 'alice',
            issuer: 'Bank',
            note: '',
            favorite: false,
            icon: null,
            icon_mime: null,
            icon_hash: null,
            info: { secret: 'JBSWY3DPEHPK3PXP', algo: 'SHA1', digits: 6, counter: 42 },
            groups: [],
          },
        ],
        groups: [{ uuid: groupUuid, name: 'Personal' }],
      },
      'hand built',
    );
    const decoded = await aegisFormat.decode(sniffInput({ name: 'by-hand.json', bytes }), {
      password: 'hand built',
    });
    expect(
      decoded.entries.map((e) => ({ ...e.params, tags: e.tags, favourite: e.favourite })),
    ).toEqual([
      {
        type: 'totp',
        issuer: 'Google',
        account: 'Bob',
        secret: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
        algorithm: 'SHA256',
        digits: 8,
        period: 60,
        counter: 0,
        tags: ['Personal'],
        favourite: true,
      },
      {
        type: 'hotp',
        issuer: 'Bank',
        account: 'alice',
        secret: 'JBSWY3DPEHPK3PXP',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        counter: 42,
        tags: [],
        favourite: false,
      },
    ]);
  });
});
