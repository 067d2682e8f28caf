import { createDecipheriv, scryptSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptBackup } from '../../../../main/core/backup/backup-format';
import { exportAccounts } from '../../../../main/core/backup/export';
import { parseOtpauthUri } from '../../../../main/core/otp/otpauth-uri';
import { nodeVaultFs, type VaultFs } from '../../../../main/core/vault/vault-fs';
import { expectCode } from '../vault/helpers/deps';
import { sampleAccounts } from './backup-fixtures';

const PASSWORD = 'export password';
let dir: string;
const deps = () => ({ fs: nodeVaultFs, now: () => 1_733_000_000_000 });

beforeEach(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'chronokey-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file system that flips one byte of everything written: the disk "lies". */
function corruptingFs(): VaultFs {
  return {
    ...nodeVaultFs,
    open: async (path, flags, mode) => {
      const handle = await nodeVaultFs.open(path, flags, mode);
      return {
        writeFile: (data) => {
          const bytes = Buffer.from(data);
          if (bytes.length > 0) bytes[bytes.length >> 1]! ^= 0x10;
          return handle.writeFile(bytes);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

/** Corrupts only what is read back after the rename (the final file), not the temp file. */
function corruptAfterRenameFs(target: string): VaultFs {
  return {
    ...nodeVaultFs,
    readFile: async (path) => {
      const bytes = await nodeVaultFs.readFile(path);
      if (path === target) bytes[bytes.length - 1]! ^= 0x01;
      return bytes;
    },
  };
}

/** Aegis's vault, decrypted exactly as Aegis's docs/vault.md describes, with node:crypto only. */
function aegisDecryptFromDocs(text: string, password: string) {
  const vault = JSON.parse(text) as {
    version: number;
    header: {
      slots: Array<{
        type: number;
        key: string;
        key_params: { nonce: string; tag: string };
        n: number;
        r: number;
        p: number;
        salt: string;
      }>;
      params: { nonce: string; tag: string };
    };
    db: string;
  };
  expect(vault.version).toBe(1);
  const slot = vault.header.slots.find((s) => s.type === 1)!;
  expect([slot.n, slot.r, slot.p]).toEqual([32768, 8, 1]);
  expect(Buffer.from(slot.salt, 'hex')).toHaveLength(32);
  const gcm = (key: Buffer, nonceHex: string, data: Buffer, tagHex: string) => {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceHex, 'hex'));
    decipher.setAuthTag(Buffer.from(tagHex, 'hex'));
    return Buffer.concat([decipher.update(data), decipher.final()]);
  };
  const derived = scryptSync(Buffer.from(password, 'utf8'), Buffer.from(slot.salt, 'hex'), 32, {
    N: slot.n,
    r: slot.r,
    p: slot.p,
    maxmem: 128 * 1024 * 1024,
  });
  const masterKey = gcm(
    derived,
    slot.key_params.nonce,
    Buffer.from(slot.key, 'hex'),
    slot.key_params.tag,
  );
  const db = gcm(
    masterKey,
    vault.header.params.nonce,
    Buffer.from(vault.db, 'base64'),
    vault.header.params.tag,
  );
  return JSON.parse(db.toString('utf8')) as {
    version: number;
    entries: Array<{
      type: string;
      uuid: string;
      name: string;
      issuer: string;
      favorite: boolean;
      info: Record<string, unknown>;
      groups: string[];
    }>;
    groups: Array<{ uuid: string; name: string }>;
  };
}

describe('verified export', () => {
  it('writes a Chronokey backup, reads it back and reports verified', async () => {
    const accounts = sampleAccounts(50);
    const path = join(dir, 'backup.ckb');
    const result = await exportAccounts(deps(), accounts, 'chronokey', path, {
      password: PASSWORD,
    });
    expect(result).toEqual({ path, verified: true, accounts: 50 });
    expect((await decryptBackup(await readFile(path), PASSWORD, 'backup.ckb')).accounts).toEqual(
      accounts,
    );
    expect(await readdir(dir)).toEqual(['backup.ckb']);
  });

  it('a write the disk corrupts is reported not verified and leaves no file (nor an older one replaced)', async () => {
    const path = join(dir, 'backup.ckb');
    await writeFile(path, 'an older file the user chose to overwrite');
    for (const format of ['chronokey', 'aegis', 'otpauth'] as const) {
      const result = await exportAccounts(
        { ...deps(), fs: corruptingFs() },
        sampleAccounts(5),
        format,
        path,
        {
          password: PASSWORD,
        },
      );
      expect(result.verified, format).toBe(false);
      expect(await readdir(dir)).toEqual(['backup.ckb']);
      expect(await readFile(path, 'utf8')).toBe('an older file the user chose to overwrite');
    }
  });

  it('a final file that does not read back right is removed and not verified', async () => {
    const path = join(dir, 'final.ckb');
    const result = await exportAccounts(
      { ...deps(), fs: corruptAfterRenameFs(path) },
      sampleAccounts(4),
      'chronokey',
      path,
      {
        password: PASSWORD,
      },
    );
    expect(result.verified).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an unwritable folder gives a clear error and leaves nothing', async () => {
    await expectCode(
      exportAccounts(deps(), sampleAccounts(1), 'chronokey', join(dir, 'missing', 'b.ckb'), {
        password: PASSWORD,
      }),
      'BACKUP_UNWRITABLE',
    );
    await expectCode(
      exportAccounts(deps(), sampleAccounts(1), 'aegis', join(dir, 'a.json')),
      'BACKUP_PASSWORD_REQUIRED',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes the plain otpauth list, one link per line, that parses back to the same accounts', async () => {
    const accounts = sampleAccounts(30);
    const path = join(dir, 'links.txt');
    expect((await exportAccounts(deps(), accounts, 'otpauth', path)).verified).toBe(true);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(30);
    lines.forEach((line, index) => {
      const { warnings: _w, ...params } = parseOtpauthUri(line);
      const a = accounts[index]!;
      expect(params).toEqual({
        type: a.type,
        issuer: a.issuer,
        account: a.account,
        secret: a.secret,
        algorithm: a.algorithm,
        digits: a.digits,
        period: a.period,
        counter: a.counter,
      });
    });
  });
});

describe('Aegis export', () => {
  it('decrypts with an implementation written from Aegis docs/vault.md and carries every field', async () => {
    const accounts = sampleAccounts(40);
    const path = join(dir, 'aegis.json');
    expect(
      (await exportAccounts(deps(), accounts, 'aegis', path, { password: PASSWORD })).verified,
    ).toBe(true);
    const db = aegisDecryptFromDocs(await readFile(path, 'utf8'), PASSWORD);
    expect(db.version).toBe(3);
    expect(db.entries).toHaveLength(40);
    const groupNames = new Map(db.groups.map((g) => [g.uuid, g.name]));
    db.entries.forEach((entry, index) => {
      const a = accounts[index]!;
      expect(entry.type).toBe(a.type);
      expect(entry.name).toBe(a.account);
      expect(entry.issuer).toBe(a.issuer);
      expect(entry.favorite).toBe(a.favourite);
      expect(entry.uuid).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(entry.info).toEqual({
        secret: a.secret,
        algo: a.algorithm,
        digits: a.digits,
        ...(a.type === 'hotp' ? { counter: a.counter } : { period: a.period }),
      });
      expect(entry.groups.map((uuid) => groupNames.get(uuid))).toEqual(a.tags);
    });
  });
});
