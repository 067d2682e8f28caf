import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptBackup } from '../../../main/core/backup/backup-format';
import { decryptAegisVault } from '../../../main/core/backup/aegis-export';
import { readKeePassDatabase } from '../../../main/core/backup/keepass-export';
import { parseOtpauthUri } from '../../../main/core/otp/otpauth-uri';
import { chronokey, tempVaultDir } from './cli-harness';

const VAULT_PASSWORD = 'vault pass';
const EXPORT_PASSWORD = 'export pass';
const LINKS = [
  'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App',
  'otpauth://hotp/Bank:bob?secret=JBSWY3DPEHPK3PXP&issuer=Bank&counter=7&digits=8',
  'otpauth://totp/Work:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&period=60',
];

describe('chronokey export', () => {
  let temp: ReturnType<typeof tempVaultDir>;
  let vault: string[];

  beforeEach(async () => {
    temp = tempVaultDir();
    vault = ['--vault-dir', path.join(temp.dir, 'vault')];
    const init = await chronokey([...vault, 'init', '--no-keychain', '--password-stdin'], {
      stdin: `${VAULT_PASSWORD}\n`,
    });
    expect(init.status, init.stderr).toBe(0);
    for (const link of LINKS) {
      const add = await chronokey([...vault, '--password-stdin', 'add', link], {
        stdin: `${VAULT_PASSWORD}\n`,
      });
      expect(add.status, add.stderr).toBe(0);
    }
  }, 30_000);
  afterEach(() => temp.cleanup());

  it('writes a verified Chronokey backup that decrypts to the vault accounts', async () => {
    const file = path.join(temp.dir, 'out', '..', 'backup.ckb');
    const result = await chronokey(
      [...vault, 'export', file, '--format', 'chronokey', '--password-stdin', '--json'],
      { stdin: `${EXPORT_PASSWORD}\n${VAULT_PASSWORD}\n` },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      path: path.resolve(file),
      verified: true,
      accounts: 3,
      format: 'chronokey',
    });
    const payload = await decryptBackup(await readFile(file), EXPORT_PASSWORD, 'backup.ckb');
    const listed = await chronokey([...vault, '--password-stdin', 'list', '--json'], {
      stdin: `${VAULT_PASSWORD}\n`,
    });
    const views = JSON.parse(listed.stdout) as Array<{ id: string }>;
    expect(payload.accounts.map((a) => a.id)).toEqual(views.map((v) => v.id));
    expect(payload.accounts.map((a) => a.secret)).toEqual([
      'S3K3TPI5MYA2M67V',
      'JBSWY3DPEHPK3PXP',
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    ]);
    expect(payload.accounts[1]!.counter).toBe(7);
  }, 30_000);

  it('writes an Aegis vault and a plain list (with a warning on stderr)', async () => {
    const aegis = path.join(temp.dir, 'aegis.json');
    const a = await chronokey(
      [...vault, 'export', aegis, '--format', 'aegis', '--password-stdin'],
      {
        stdin: `${EXPORT_PASSWORD}\n${VAULT_PASSWORD}\n`,
      },
    );
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/Exported 3 accounts to .*aegis\.json \(verified/);
    const entries = await decryptAegisVault(await readFile(aegis), EXPORT_PASSWORD, 'aegis.json');
    expect(entries.map((e) => e.info.secret)).toContain('JBSWY3DPEHPK3PXP');

    const list = path.join(temp.dir, 'links.txt');
    const p = await chronokey(
      [...vault, 'export', list, '--format', 'otpauth', '--password-stdin'],
      {
        stdin: `${VAULT_PASSWORD}\n`,
      },
    );
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/WARNING: .*NOT encrypted/);
    const lines = (await readFile(list, 'utf8')).trim().split('\n');
    expect(lines.map((line) => parseOtpauthUri(line).secret)).toEqual([
      'S3K3TPI5MYA2M67V',
      'JBSWY3DPEHPK3PXP',
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    ]);
  }, 30_000);

  it('writes a KeePassXC database (--format kdbx) that reads back with every link', async () => {
    const file = path.join(temp.dir, 'keepassxc.kdbx');
    const result = await chronokey(
      [...vault, 'export', file, '--format', 'kdbx', '--password-stdin'],
      { stdin: `${EXPORT_PASSWORD}\n${VAULT_PASSWORD}\n` },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Exported 3 accounts to .*keepassxc\.kdbx \(verified/);
    const entries = await readKeePassDatabase(await readFile(file), EXPORT_PASSWORD);
    expect(entries.map((entry) => parseOtpauthUri(entry.otp).secret)).toEqual([
      'S3K3TPI5MYA2M67V',
      'JBSWY3DPEHPK3PXP',
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    ]);
    expect(entries.map((entry) => entry.title)).toEqual(['Secure App', 'Bank', 'Work']);
  }, 30_000);

  it('refuses a missing password, a wrong vault password and an unknown format, writing nothing', async () => {
    const file = path.join(temp.dir, 'nothing.ckb');
    const noPassword = await chronokey([...vault, 'export', file]);
    expect(noPassword.status).toBe(1);
    expect(noPassword.stderr).toMatch(/^BACKUP_PASSWORD_REQUIRED: /);
    const wrongVault = await chronokey([...vault, 'export', file, '--password-stdin'], {
      stdin: `${EXPORT_PASSWORD}\nnot the vault password\n`,
    });
    expect(wrongVault.status).toBe(1);
    expect(wrongVault.stderr).toMatch(/^VAULT_WRONG_PASSWORD: /);
    const badFormat = await chronokey([...vault, 'export', file, '--format', 'zip']);
    expect(badFormat.status).toBe(2);
    const noFolder = await chronokey(
      [...vault, 'export', path.join(temp.dir, 'no', 'such', 'b.ckb'), '--password-stdin'],
      { stdin: `${EXPORT_PASSWORD}\n${VAULT_PASSWORD}\n` },
    );
    expect(noFolder.status).toBe(1);
    expect(noFolder.stderr).toMatch(/^BACKUP_UNWRITABLE: /);
    expect((await readdir(temp.dir)).sort()).toEqual(['vault']);
  }, 30_000);
});
