import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codePng, screenshot } from '../../fixtures/qr/make-corpus';
import { chronokey, tempVaultDir } from './cli-harness';

const FIXTURES = path.resolve('test/fixtures/import');

const A = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const B = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const LINKS = [
  'Exported from WinAuth',
  `otpauth://totp/Alpha:alice%40example.com?secret=${A}&issuer=Alpha`,
  `otpauth://hotp/Beta:bob?secret=${B}&issuer=Beta&counter=7&digits=8`,
  'otpauth://totp/Broken:x?secret=1111',
].join('\r\n');

const vaults: Array<{ cleanup(): void }> = [];
function newDir(): string {
  const vault = tempVaultDir();
  vaults.push(vault);
  return vault.dir;
}
afterAll(() => vaults.forEach((vault) => vault.cleanup()));

const vaultBytes = (dir: string) => readFileSync(path.join(dir, 'vault.ckv'));

function expectOneErrorLine(stderr: string, code: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${code}: \\S`));
}

describe('chronokey import (keychain vault)', () => {
  let dir: string;
  let links: string;
  beforeAll(async () => {
    dir = newDir();
    expect((await chronokey(['--vault-dir', dir, 'init'])).status).toBe(0);
    links = path.join(dir, 'links.txt');
    writeFileSync(links, LINKS);
  });

  it('--dry-run shows what would be imported and changes nothing', async () => {
    const before = vaultBytes(dir);
    const run = await chronokey(['--vault-dir', dir, 'import', links, '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Found 2 accounts');
    expect(run.stdout).toContain('+ Alpha:alice@example.com  (totp, SHA1, 6 digits, 30s)');
    expect(run.stdout).toContain('+ Beta:bob  (hotp, SHA1, 8 digits, counter 7)');
    expect(run.stdout).toMatch(/link 3: SECRET_INVALID/);
    expect(run.stdout).toContain('Dry run: 2 accounts would be added; nothing was changed.');
    expect(vaultBytes(dir).equals(before)).toBe(true);
  });

  it('adds what it found in one step and prints JSON without secrets; a second run skips duplicates', async () => {
    const run = await chronokey(['--vault-dir', dir, '--json', 'import', links]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result.added).toBe(2);
    expect(result.accounts).toEqual([
      expect.objectContaining({ issuer: 'Alpha', account: 'alice@example.com', period: 30 }),
      expect.objectContaining({ issuer: 'Beta', type: 'hotp', counter: 7, digits: 8 }),
    ]);
    expect(result.accounts[1]).not.toHaveProperty('period');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'SECRET_INVALID', source: `${links}, link 3` }),
    ]);
    expect(run.stdout).not.toContain(A);
    expect(run.stdout).not.toContain(B);
    const list = JSON.parse((await chronokey(['--vault-dir', dir, '--json', 'list'])).stdout);
    expect(list.map((account: { issuer: string }) => account.issuer)).toEqual(['Alpha', 'Beta']);

    const again = JSON.parse(
      (await chronokey(['--vault-dir', dir, '--json', 'import', links])).stdout,
    );
    expect(again.added).toBe(0);
    expect(again.skipped.map((entry: { code: string }) => entry.code)).toEqual([
      'DUPLICATE',
      'DUPLICATE',
    ]);
  });

  it('reads the import from standard input with -', async () => {
    const run = await chronokey(['--vault-dir', dir, '--json', 'import', '-', '--dry-run'], {
      stdin: `otpauth://totp/Gamma:g?secret=${B}${B}&issuer=Gamma\n`,
    });
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accounts).toEqual([
      expect.objectContaining({ source: 'standard input', issuer: 'Gamma', selected: true }),
    ]);
    expect(result.added).toBe(0);
  });

  it('exits 1 with one line naming the file when nothing could be read; the vault is unchanged', async () => {
    const before = vaultBytes(dir);
    const cases: Array<[string, string | Uint8Array, string]> = [
      ['broken.json', '{"db": {"entries": [', 'IMPORT_MALFORMED_JSON'],
      ['mystery.bin', new Uint8Array([0, 0xff, 0xfe, 1, 2, 3, 4]), 'IMPORT_UNSUPPORTED_FORMAT'],
      ['bad-links.txt', 'otpauth://totp/X:y?secret=0000', 'SECRET_INVALID'],
      ['empty.txt', '  \n', 'IMPORT_EMPTY'],
    ];
    for (const [name, content, code] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      const run = await chronokey(['--vault-dir', dir, 'import', file]);
      expect(run.status, name).toBe(1);
      expectOneErrorLine(run.stderr, code);
      expect(run.stderr).toContain(name);
      expect(run.stdout).toBe('');
    }
    const missing = await chronokey(['--vault-dir', dir, 'import', path.join(dir, 'nope.txt')]);
    expect(missing.status).toBe(1);
    expectOneErrorLine(missing.stderr, 'IMPORT_FILE_NOT_FOUND');
    expect(vaultBytes(dir).equals(before)).toBe(true);
  });

  it('refuses --password-stdin when the import itself comes from standard input', async () => {
    const run = await chronokey(['--vault-dir', dir, 'import', '-', '--password-stdin']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^USAGE: /);
  });
});

describe('chronokey import without a vault', () => {
  it('--dry-run shows what an export holds before any vault exists; a real import needs one', async () => {
    const dir = newDir();
    const file = path.join(FIXTURES, 'freeotp-plus/backup.json');
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURES, 'freeotp-plus/backup.expected.json'), 'utf8'),
    );
    const run = await chronokey(['--vault-dir', dir, '--json', 'import', file, '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accounts.map((a: { account: string }) => a.account)).toEqual(
      expected.accounts.map((a: { account: string }) => a.account),
    );
    expect(result.added).toBe(0);
    expect(existsSync(path.join(dir, 'vault.ckv'))).toBe(false);
    const real = await chronokey(['--vault-dir', dir, 'import', file]);
    expect(real.status).toBe(1);
    expectOneErrorLine(real.stderr, 'VAULT_NOT_FOUND');
  });
});

describe('chronokey import (password-only vault)', () => {
  it('takes the vault password from standard input when the import is not encrypted', async () => {
    const dir = newDir();
    const init = await chronokey(
      ['--vault-dir', dir, 'init', '--no-keychain', '--password-stdin'],
      {
        stdin: 'vault pass\n',
      },
    );
    expect(init.status).toBe(0);
    const file = path.join(dir, 'one.txt');
    writeFileSync(file, `otpauth://totp/Solo:s?secret=${A}&issuer=Solo`);
    const withoutPassword = await chronokey(['--vault-dir', dir, 'import', file]);
    expect(withoutPassword.status).toBe(1);
    expectOneErrorLine(withoutPassword.stderr, 'VAULT_PASSWORD_REQUIRED');
    const run = await chronokey(
      ['--vault-dir', dir, '--json', 'import', file, '--password-stdin'],
      {
        stdin: 'vault pass\n',
      },
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).added).toBe(1);
  });
});

describe("chronokey import of screenshots and other apps' exports", () => {
  let dir: string;
  beforeAll(async () => {
    dir = newDir();
    expect((await chronokey(['--vault-dir', dir, 'init'])).status).toBe(0);
  });

  it('reads every code in a screenshot', async () => {
    const shot = path.join(dir, 'shot.png');
    writeFileSync(
      shot,
      await screenshot(1280, 800, [
        {
          text: `otpauth://totp/Shot:me?secret=${A}&issuer=Shot`,
          x: 300,
          y: 200,
          style: { module: 5 },
        },
        {
          text: `otpauth://totp/Dark:me?secret=${B}&issuer=Dark`,
          x: 800,
          y: 300,
          style: { module: 4, dark: [232, 234, 237], light: [32, 33, 36] },
        },
      ]),
    );
    const run = await chronokey(['--vault-dir', dir, '--json', 'import', shot]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accounts.map((a: { issuer: string }) => a.issuer).sort()).toEqual([
      'Dark',
      'Shot',
    ]);
    expect(result.added).toBe(2);
  });

  it('says which image holds no authenticator code', async () => {
    const website = path.join(dir, 'website.png');
    writeFileSync(website, await codePng('https://example.com/app', { module: 4 }));
    const run = await chronokey(['--vault-dir', dir, 'import', website]);
    expect(run.status).toBe(1);
    expectOneErrorLine(run.stderr, 'QR_NOT_AUTHENTICATOR');
    expect(run.stderr).toContain('website.png');
  });

  it('opens an encrypted Aegis vault with the password from standard input; a wrong one changes nothing', async () => {
    const file = path.join(FIXTURES, 'aegis/encrypted.json');
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURES, 'aegis/encrypted.expected.json'), 'utf8'),
    );
    const before = vaultBytes(dir);
    const wrong = await chronokey(['--vault-dir', dir, 'import', file, '--password-stdin'], {
      stdin: 'not it\n',
    });
    expect(wrong.status).toBe(1);
    expectOneErrorLine(wrong.stderr, 'IMPORT_WRONG_PASSWORD');
    const none = await chronokey(['--vault-dir', dir, 'import', file]);
    expect(none.status).toBe(1);
    expectOneErrorLine(none.stderr, 'IMPORT_PASSWORD_REQUIRED');
    expect(vaultBytes(dir).equals(before)).toBe(true);

    const run = await chronokey(
      ['--vault-dir', dir, '--json', 'import', file, '--password-stdin'],
      {
        stdin: `${expected.password}\n`,
      },
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accounts.map((a: { issuer: string }) => a.issuer)).toEqual(
      expected.accounts.map((a: { issuer: string }) => a.issuer),
    );
    for (const account of expected.accounts) expect(run.stdout).not.toContain(account.secret);
  });

  it('reads a Google Authenticator export and lists what it cannot import', async () => {
    const run = await chronokey([
      '--vault-dir',
      dir,
      '--json',
      'import',
      path.join(FIXTURES, 'google/two-batches.txt'),
      '--dry-run',
    ]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.batches).toEqual([{ id: 1234567890, scanned: 2, size: 2 }]);
    expect(result.skipped.map((entry: { code: string }) => entry.code)).toContain(
      'ALGORITHM_UNSUPPORTED',
    );
    const hotp = result.accounts.find((a: { type: string }) => a.type === 'hotp');
    expect(hotp.marks).toEqual([
      {
        code: 'DEFAULTED',
        message:
          'Google Authenticator export carries no algorithm and number of digits; Chronokey used SHA1 and 6 digits.',
      },
    ]);
  });

  it('reads the backup password, then the vault password, from standard input', async () => {
    const vaultDir = newDir();
    await chronokey(['--vault-dir', vaultDir, 'init', '--no-keychain', '--password-stdin'], {
      stdin: 'vault pass\n',
    });
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURES, '2fas/encrypted.expected.json'), 'utf8'),
    );
    const run = await chronokey(
      [
        '--vault-dir',
        vaultDir,
        '--json',
        'import',
        path.join(FIXTURES, '2fas/encrypted.2fas'),
        '--password-stdin',
      ],
      { stdin: `${expected.password}\nvault pass\n` },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).added).toBe(expected.accounts.length);
  });
});
