import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  referenceBase32Decode,
  referenceHotp,
  referenceSteam,
  referenceTotp,
} from '../core/otp/reference-otp';
import { chronokey, tempVaultDir } from './cli-harness';

const SEED_SECRET = 'S3K3TPI5MYA2M67V';
const SEED_LINK =
  'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App';
const AT = 1_700_000_015;

const vaults: Array<{ cleanup(): void }> = [];
function newDir(): string {
  const vault = tempVaultDir();
  vaults.push(vault);
  return vault.dir;
}
afterAll(() => vaults.forEach((vault) => vault.cleanup()));

function vaultBytes(dir: string): Buffer {
  return readFileSync(path.join(dir, 'vault.ckv'));
}

function expectOneErrorLine(stderr: string, code: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${code}: \\S`));
}

describe('chronokey CLI with a keychain vault (seed example)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = newDir();
    const init = await chronokey(['--vault-dir', dir, 'init']);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
  });

  it('adds the seed link and prints it as JSON with an id and never the secret', async () => {
    const added = await chronokey(['--vault-dir', dir, '--json', 'add', SEED_LINK]);
    expect(added.status).toBe(0);
    const account = JSON.parse(added.stdout);
    expect(account).toMatchObject({
      issuer: 'Secure App',
      account: 'alice@google.com',
      type: 'totp',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    expect(account.id).toEqual(expect.any(String));
    expect(added.stdout).not.toContain(SEED_SECRET);
    expect(readFileSync(path.join(dir, 'vault.ckv')).includes(SEED_SECRET)).toBe(false);
  });

  it('lists accounts without secrets', async () => {
    const listed = await chronokey(['--vault-dir', dir, '--json', 'list']);
    expect(listed.status).toBe(0);
    const accounts = JSON.parse(listed.stdout);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ issuer: 'Secure App', type: 'totp', period: 30 });
    expect(accounts[0]).not.toHaveProperty('secret');
    expect(listed.stdout).not.toContain(SEED_SECRET);
  });

  it('reads the right code at a fixed time, with validUntil in unix seconds', async () => {
    const expected = referenceTotp(referenceBase32Decode(SEED_SECRET), 'sha1', 6, 30, AT);
    const shown = await chronokey([
      '--vault-dir',
      dir,
      '--json',
      'code',
      'secure',
      '--at',
      String(AT),
    ]);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual([
      expect.objectContaining({ issuer: 'Secure App', code: expected, validUntil: 1_700_000_040 }),
    ]);
    const text = await chronokey(['--vault-dir', dir, 'code', '--at', String(AT)]);
    expect(text.stdout).toContain(expected);
    expect(text.stdout).toContain('Secure App:alice@google.com');
  });

  it('verifies a code: exit 0 when valid, 1 when not', async () => {
    const key = referenceBase32Decode(SEED_SECRET);
    const good = referenceTotp(key, 'sha1', 6, 30, AT);
    const previous = referenceTotp(key, 'sha1', 6, 30, AT - 30);
    const ok = await chronokey(['--vault-dir', dir, 'verify', 'alice', good, '--at', String(AT)]);
    expect(ok.status).toBe(0);
    const drift = await chronokey([
      '--vault-dir',
      dir,
      'verify',
      'alice',
      previous,
      '--at',
      String(AT),
    ]);
    expect(drift.status).toBe(0);
    const strict = await chronokey([
      '--vault-dir',
      dir,
      'verify',
      'alice',
      previous,
      '--window',
      '0',
      '--at',
      String(AT),
    ]);
    expect(strict.status).toBe(1);
    const wrong = good === '000000' ? '111111' : '000000';
    const bad = await chronokey(['--vault-dir', dir, 'verify', 'alice', wrong, '--at', String(AT)]);
    expect(bad.status).toBe(1);
  });

  it('generates a new secret, prints its link and a terminal QR, adds it, and its code verifies', async () => {
    const made = await chronokey([
      '--vault-dir',
      dir,
      'new',
      '--issuer',
      'Fresh Co',
      '--account',
      'bob@example.com',
    ]);
    expect(made.status).toBe(0);
    const secret = /Secret: ([A-Z2-7]+)/.exec(made.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(secret!.length).toBe(32); // 20 random bytes for SHA1
    expect(made.stdout).toContain('otpauth://totp/Fresh%20Co:bob%40example.com?secret=');
    expect(made.stdout).toMatch(/[▀▄█]/);
    const now = Math.floor(Date.now() / 1000);
    const code = referenceTotp(referenceBase32Decode(secret!), 'sha1', 6, 30, now);
    const verified = await chronokey([
      '--vault-dir',
      dir,
      'verify',
      'fresh',
      code,
      '--at',
      String(now),
    ]);
    expect(verified.status).toBe(0);
  });

  it('new --no-add prints JSON with the link and leaves the vault as it was', async () => {
    const before = vaultBytes(dir);
    const made = await chronokey([
      '--vault-dir',
      dir,
      '--json',
      'new',
      '--issuer',
      'X',
      '--account',
      'y',
      '--algorithm',
      'SHA256',
      '--digits',
      '8',
      '--period',
      '60',
      '--no-add',
    ]);
    expect(made.status).toBe(0);
    const output = JSON.parse(made.stdout);
    expect(output.secret).toMatch(/^[A-Z2-7]{52}$/); // 32 bytes for SHA256
    expect(output.uri).toContain('algorithm=SHA256');
    expect(output.uri).toContain('digits=8');
    expect(output.uri).toContain('period=60');
    expect(output).not.toHaveProperty('account');
    expect(vaultBytes(dir).equals(before)).toBe(true);
  });
});

describe('chronokey CLI with accounts of every kind', () => {
  let dir: string;
  beforeAll(async () => {
    dir = newDir();
    expect((await chronokey(['--vault-dir', dir, 'init'])).status).toBe(0);
  });

  it('shows HOTP codes for the stored counter and advances it with next', async () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // RFC 4226's "12345678901234567890"
    const key = referenceBase32Decode(secret);
    const add = await chronokey([
      '--vault-dir',
      dir,
      '--json',
      'add',
      `otpauth://hotp/RFC:4226?secret=${secret}&counter=5&issuer=RFC`,
    ]);
    expect(add.status).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ type: 'hotp', counter: 5 });
    const first = JSON.parse(
      (await chronokey(['--vault-dir', dir, '--json', 'code', 'RFC:4226'])).stdout,
    );
    expect(first[0]).toMatchObject({ code: referenceHotp(key, 'sha1', 6, 5), counter: 5 });
    expect(first[0]).not.toHaveProperty('validUntil');
    const next = await chronokey(['--vault-dir', dir, '--json', 'next', 'RFC:4226']);
    expect(next.status).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({
      code: referenceHotp(key, 'sha1', 6, 6),
      counter: 6,
    });
    const after = JSON.parse(
      (await chronokey(['--vault-dir', dir, '--json', 'code', 'RFC:4226'])).stdout,
    );
    expect(after[0]).toMatchObject({ code: referenceHotp(key, 'sha1', 6, 6), counter: 6 });
  });

  it('computes Steam Guard codes for otpauth://steam links', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    expect(
      (
        await chronokey([
          '--vault-dir',
          dir,
          'add',
          `otpauth://steam/Steam:gamer?secret=${secret}&issuer=Steam`,
        ])
      ).status,
    ).toBe(0);
    const shown = JSON.parse(
      (await chronokey(['--vault-dir', dir, '--json', 'code', 'steam', '--at', String(AT)])).stdout,
    );
    expect(shown[0]).toMatchObject({
      type: 'steam',
      code: referenceSteam(referenceBase32Decode(secret), AT),
    });
    expect(shown[0].code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
  });

  it('computes SHA-512, 8-digit codes (RFC 6238 appendix B, T = 59)', async () => {
    const secret =
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA'; // RFC 6238's 64-byte SHA-512 seed
    const link = `otpauth://totp/Big:one?secret=${secret}&algorithm=SHA512&digits=8&period=30`;
    expect((await chronokey(['--vault-dir', dir, 'add', link])).status).toBe(0);
    const shown = JSON.parse(
      (await chronokey(['--vault-dir', dir, '--json', 'code', 'Big:one', '--at', '59'])).stdout,
    );
    expect(shown[0]).toMatchObject({ code: '90693936', validUntil: 60, digits: 8, period: 30 });
  });

  it('removes one account by query and refuses an ambiguous one', async () => {
    await chronokey(['--vault-dir', dir, 'add', 'otpauth://totp/Twin:a?secret=AAAAAAAAAAAAAAAA']);
    await chronokey(['--vault-dir', dir, 'add', 'otpauth://totp/Twin:b?secret=BBBBBBBBBBBBBBBB']);
    const before = vaultBytes(dir);
    const ambiguous = await chronokey(['--vault-dir', dir, 'remove', 'twin']);
    expect(ambiguous.status).toBe(1);
    expectOneErrorLine(ambiguous.stderr, 'AMBIGUOUS_QUERY');
    expect(vaultBytes(dir).equals(before)).toBe(true);
    const removed = await chronokey(['--vault-dir', dir, 'remove', 'Twin:a']);
    expect(removed.status).toBe(0);
    const names = JSON.parse((await chronokey(['--vault-dir', dir, '--json', 'list'])).stdout).map(
      (account: { account: string }) => account.account,
    );
    expect(names).toContain('b');
    expect(names).not.toContain('a');
  });
});

describe('chronokey CLI with bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = newDir();
    expect((await chronokey(['--vault-dir', dir, 'init'])).status).toBe(0);
    expect((await chronokey(['--vault-dir', dir, 'add', SEED_LINK])).status).toBe(0);
  });

  it.each([
    ['not a link', 'hello', 'URI_NOT_OTPAUTH'],
    ['an https link', 'https://example.com/?secret=JBSWY3DP', 'URI_NOT_OTPAUTH'],
    ['no secret', 'otpauth://totp/A:b?issuer=A', 'SECRET_MISSING'],
    ['an empty secret', 'otpauth://totp/A:b?secret=&issuer=A', 'SECRET_EMPTY'],
    ['an invalid base32 secret', 'otpauth://totp/A:b?secret=ABC1!&issuer=A', 'SECRET_INVALID'],
    ['an unknown type', 'otpauth://motp/A:b?secret=JBSWY3DPEHPK3PXP', 'TYPE_UNSUPPORTED'],
    [
      'an unknown algorithm',
      'otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&algorithm=MD5',
      'ALGORITHM_UNSUPPORTED',
    ],
    ['too many digits', 'otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&digits=12', 'DIGITS_INVALID'],
    ['too few digits', 'otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&digits=4', 'DIGITS_INVALID'],
    ['a zero period', 'otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&period=0', 'PERIOD_INVALID'],
    ['HOTP without a counter', 'otpauth://hotp/A:b?secret=JBSWY3DPEHPK3PXP', 'COUNTER_MISSING'],
    ['a duplicate account', SEED_LINK, 'ACCOUNT_DUPLICATE'],
  ])(
    'rejects %s with exit 1, one stderr line and the vault unchanged',
    async (_name, link, code) => {
      const before = vaultBytes(dir);
      const mtime = statSync(path.join(dir, 'vault.ckv')).mtimeMs;
      const result = await chronokey(['--vault-dir', dir, 'add', link]);
      expect(result.status).toBe(1);
      expectOneErrorLine(result.stderr, code);
      expect(result.stdout).toBe('');
      expect(vaultBytes(dir).equals(before)).toBe(true);
      expect(statSync(path.join(dir, 'vault.ckv')).mtimeMs).toBe(mtime);
    },
  );

  it.each([
    ['an unknown command', ['frobnicate']],
    ['a missing argument', ['add']],
    ['an unknown option', ['list', '--colour']],
    ['an unknown global option', ['--nope', 'list']],
    ['a bad --at', ['code', '--at', 'yesterday']],
    ['new without --issuer', ['new', '--account', 'x']],
  ])('answers %s with exit 2 and a usage line', async (_name, args) => {
    const result = await chronokey(['--vault-dir', dir, ...args]);
    expect(result.status).toBe(2);
    expectOneErrorLine(result.stderr, 'USAGE');
  });

  it('warns on stderr when an older copy of the vault file was put back', async () => {
    const other = newDir();
    await chronokey(['--vault-dir', other, 'init']);
    await chronokey(['--vault-dir', other, 'add', SEED_LINK]);
    const older = vaultBytes(other);
    await chronokey(['--vault-dir', other, 'remove', 'secure']);
    writeFileSync(path.join(other, 'vault.ckv'), older);
    const list = await chronokey(['--vault-dir', other, 'list']);
    expect(list.status).toBe(0);
    expect(list.stderr).toMatch(/^WARNING: VAULT_ROLLED_BACK: /);
    const json = await chronokey(['--vault-dir', other, '--json', 'list']);
    expect(JSON.parse(json.stderr)).toMatchObject({ warning: 'VAULT_ROLLED_BACK' });
    expect(JSON.parse(json.stdout)).toHaveLength(1);
  });

  it('says when no account matches', async () => {
    const result = await chronokey(['--vault-dir', dir, 'code', 'nothing-like-this']);
    expect(result.status).toBe(1);
    expectOneErrorLine(result.stderr, 'NO_MATCH');
  });

  it('says when there is no vault yet, and how to make one', async () => {
    const result = await chronokey(['--vault-dir', path.join(dir, 'elsewhere'), 'list']);
    expect(result.status).toBe(1);
    expectOneErrorLine(result.stderr, 'VAULT_NOT_FOUND');
  });

  it('refuses to init over an existing vault', async () => {
    const before = vaultBytes(dir);
    const result = await chronokey(['--vault-dir', dir, 'init']);
    expect(result.status).toBe(1);
    expectOneErrorLine(result.stderr, 'VAULT_EXISTS');
    expect(vaultBytes(dir).equals(before)).toBe(true);
  });
});

describe('chronokey CLI with a password vault', () => {
  let dir: string;
  beforeAll(async () => {
    dir = newDir();
    const init = await chronokey(
      ['--vault-dir', dir, 'init', '--no-keychain', '--password-stdin'],
      {
        stdin: 'correct horse battery staple\nignored second line\n',
      },
    );
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
  });

  it('opens with the password from the first line of stdin', async () => {
    const add = await chronokey(['--vault-dir', dir, '--password-stdin', 'add', SEED_LINK], {
      stdin: 'correct horse battery staple\n',
    });
    expect(add.status).toBe(0);
    const list = await chronokey(['--vault-dir', dir, '--password-stdin', '--json', 'list'], {
      stdin: 'correct horse battery staple',
    });
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('rejects a wrong password and changes nothing', async () => {
    const before = vaultBytes(dir);
    const result = await chronokey(
      ['--vault-dir', dir, '--password-stdin', 'add', 'otpauth://totp/N:n?secret=NNNNNNNNNNNNNNNN'],
      {
        stdin: 'wrong\n',
      },
    );
    expect(result.status).toBe(1);
    expectOneErrorLine(result.stderr, 'VAULT_WRONG_PASSWORD');
    expect(vaultBytes(dir).equals(before)).toBe(true);
  });

  it('asks for --password-stdin when there is no terminal to prompt on', async () => {
    const result = await chronokey(['--vault-dir', dir, 'list']);
    expect(result.status).toBe(1);
    expectOneErrorLine(result.stderr, 'VAULT_PASSWORD_REQUIRED');
  });

  it('uses CHRONOKEY_VAULT_DIR when --vault-dir is not given', async () => {
    const list = await chronokey(['--password-stdin', '--json', 'list'], {
      stdin: 'correct horse battery staple\n',
      env: { CHRONOKEY_VAULT_DIR: dir },
    });
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ issuer: 'Secure App' });
  });

  it('needs a password for a vault without the keychain', async () => {
    const other = newDir();
    const result = await chronokey(['--vault-dir', other, 'init', '--no-keychain']);
    expect(result.status).toBe(1);
    expectOneErrorLine(result.stderr, 'VAULT_PASSWORD_REQUIRED');
  });
});
