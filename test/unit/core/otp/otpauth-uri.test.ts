import { describe, it, expect } from 'vitest';
import type { OtpParams } from '../../../../shared/domain';
import { OtpParams as OtpParamsSchema } from '../../../../shared/domain';
import { ChronokeyError } from '../../../../shared/errors';
import { formatOtpauthUri, parseOtpauthUri } from '../../../../main/core/otp/otpauth-uri';

const SECRET = 'JBSWY3DPEHPK3PXP';

function errorOf(action: () => unknown): ChronokeyError {
  try {
    action();
  } catch (error) {
    if (error instanceof ChronokeyError) return error;
    throw error;
  }
  throw new Error('expected a ChronokeyError');
}

const totpDefaults = {
  type: 'totp',
  issuer: '',
  account: '',
  secret: SECRET,
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
  warnings: [],
} as const;

describe('parseOtpauthUri: real-world links', () => {
  const cases: Array<[string, string, Partial<OtpParams>]> = [
    [
      'the seed example',
      'otpauth://totp/Secure%20App:alice%40google.com?secret=S3K3TPI5MYA2M67V&issuer=Secure%20App',
      { issuer: 'Secure App', account: 'alice@google.com', secret: 'S3K3TPI5MYA2M67V' },
    ],
    [
      "Google's first example (literal @ in the label)",
      `otpauth://totp/Example:alice@google.com?secret=${SECRET}&issuer=Example`,
      { issuer: 'Example', account: 'alice@google.com' },
    ],
    [
      "Google's example with every parameter",
      'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ' +
        '&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
      {
        issuer: 'ACME Co',
        account: 'john.doe@email.com',
        secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ',
      },
    ],
    [
      'no issuer anywhere',
      `otpauth://totp/alice@example.com?secret=${SECRET}`,
      { account: 'alice@example.com' },
    ],
    [
      'issuer only in the label',
      `otpauth://totp/GitHub:octocat?secret=${SECRET}`,
      { issuer: 'GitHub', account: 'octocat' },
    ],
    [
      'issuer only in the parameter',
      `otpauth://totp/octocat?secret=${SECRET}&issuer=GitHub`,
      { issuer: 'GitHub', account: 'octocat' },
    ],
    [
      '%3A as the separator',
      `otpauth://totp/GitHub%3Aoctocat?secret=${SECRET}`,
      { issuer: 'GitHub', account: 'octocat' },
    ],
    [
      '%3a (lower case) as the separator',
      `otpauth://totp/GitHub%3aoctocat?secret=${SECRET}`,
      { issuer: 'GitHub', account: 'octocat' },
    ],
    [
      'spaces after the colon',
      `otpauth://totp/GitHub:%20%20octocat?secret=${SECRET}`,
      { issuer: 'GitHub', account: 'octocat' },
    ],
    [
      'a literal space after the colon',
      `otpauth://totp/GitHub: octocat?secret=${SECRET}`,
      { issuer: 'GitHub', account: 'octocat' },
    ],
    [
      'only the first colon separates',
      `otpauth://totp/Corp:domain:user?secret=${SECRET}`,
      { issuer: 'Corp', account: 'domain:user' },
    ],
    [
      '+ in the label is a plus',
      `otpauth://totp/Mail:me+otp@example.com?secret=${SECRET}`,
      { issuer: 'Mail', account: 'me+otp@example.com' },
    ],
    [
      '+ in the issuer parameter is a space',
      `otpauth://totp/me?secret=${SECRET}&issuer=Big+Bank`,
      { issuer: 'Big Bank', account: 'me' },
    ],
    [
      'Unicode label, percent-encoded',
      `otpauth://totp/%E6%97%A5%E6%9C%AC:%C3%BCser?secret=${SECRET}`,
      { issuer: '日本', account: 'üser' },
    ],
    [
      'Unicode label, raw',
      `otpauth://totp/Café:Zoë 🦊?secret=${SECRET}`,
      { issuer: 'Café', account: 'Zoë 🦊' },
    ],
    ['lower-case secret', 'otpauth://totp/x?secret=jbswy3dpehpk3pxp', { account: 'x' }],
    ['spaced secret', 'otpauth://totp/x?secret=JBSW%20Y3DP%20EHPK%203PXP', { account: 'x' }],
    ['+ spaced secret', 'otpauth://totp/x?secret=JBSW+Y3DP+EHPK+3PXP', { account: 'x' }],
    ['dashed secret', 'otpauth://totp/x?secret=JBSW-Y3DP-EHPK-3PXP', { account: 'x' }],
    ['padded secret', 'otpauth://totp/x?secret=MZXW6===', { account: 'x', secret: 'MZXW6' }],
    [
      '%3D-padded secret',
      'otpauth://totp/x?secret=MZXW6%3D%3D%3D',
      { account: 'x', secret: 'MZXW6' },
    ],
    ['upper-case scheme and type', `OTPAUTH://TOTP/x?secret=${SECRET}`, { account: 'x' }],
    ['surrounding whitespace', `  \n otpauth://totp/x?secret=${SECRET} \t`, { account: 'x' }],
    ['no label and no slash', `otpauth://totp?secret=${SECRET}`, {}],
    ['empty label', `otpauth://totp/?secret=${SECRET}`, {}],
    [
      'a fragment is ignored',
      `otpauth://totp/x?secret=${SECRET}#ignored?secret=AAAA`,
      { account: 'x' },
    ],
    [
      'upper-case parameter names',
      `otpauth://totp/x?SECRET=${SECRET}&Issuer=Y&DIGITS=8`,
      { account: 'x', issuer: 'Y', digits: 8 },
    ],
    [
      'first occurrence wins',
      `otpauth://totp/x?secret=${SECRET}&secret=AAAA&digits=7&digits=8`,
      { account: 'x', digits: 7 },
    ],
    [
      'unknown parameters are ignored',
      `otpauth://totp/x?secret=${SECRET}&image=https%3A%2F%2Fa.b%2Fi.png&foo`,
      { account: 'x' },
    ],
    [
      'blank optional parameters mean defaults',
      `otpauth://totp/x?secret=${SECRET}&algorithm=&digits=&period=&issuer=`,
      { account: 'x' },
    ],
    [
      'algorithm in lower case with a dash',
      `otpauth://totp/x?secret=${SECRET}&algorithm=sha-256`,
      { account: 'x', algorithm: 'SHA256' },
    ],
    [
      'SHA512',
      `otpauth://totp/x?secret=${SECRET}&algorithm=SHA512&digits=8&period=60`,
      { account: 'x', algorithm: 'SHA512', digits: 8, period: 60 },
    ],
    [
      'digits 10 and period 1',
      `otpauth://totp/x?secret=${SECRET}&digits=10&period=1`,
      { account: 'x', digits: 10, period: 1 },
    ],
    [
      'period 3600',
      `otpauth://totp/x?secret=${SECRET}&period=3600`,
      { account: 'x', period: 3600 },
    ],
    [
      'hotp with a counter',
      `otpauth://hotp/Corp:bob?secret=${SECRET}&counter=42`,
      { type: 'hotp', issuer: 'Corp', account: 'bob', counter: 42 },
    ],
    [
      'hotp ignores period',
      `otpauth://hotp/x?secret=${SECRET}&counter=0&period=junk`,
      { type: 'hotp', account: 'x' },
    ],
    [
      'hotp at the largest counter',
      `otpauth://hotp/x?secret=${SECRET}&counter=9007199254740991`,
      { type: 'hotp', account: 'x', counter: Number.MAX_SAFE_INTEGER },
    ],
    ['totp ignores a counter', `otpauth://totp/x?secret=${SECRET}&counter=junk`, { account: 'x' }],
    [
      'steam host',
      `otpauth://steam/Steam:gaben?secret=${SECRET}&digits=8&algorithm=SHA512`,
      { type: 'steam', issuer: 'Steam', account: 'gaben', digits: 5 },
    ],
    [
      'steam host, upper case',
      `otpauth://STEAM/gaben?secret=${SECRET}&digits=junk&algorithm=MD5`,
      { type: 'steam', account: 'gaben', digits: 5 },
    ],
    [
      'encoder=steam (KeePassXC)',
      `otpauth://totp/Steam:gaben?secret=${SECRET}&issuer=Steam&encoder=steam&digits=5`,
      { type: 'steam', issuer: 'Steam', account: 'gaben', digits: 5 },
    ],
    [
      'WinAuth: a 5-digit totp link from the issuer Steam',
      `otpauth://totp/Steam:gaben?secret=${SECRET}&digits=5&issuer=Steam`,
      { type: 'steam', issuer: 'Steam', account: 'gaben', digits: 5 },
    ],
    [
      'a 5-digit totp link with Steam only in the label, in any case',
      `otpauth://totp/steam:gaben?secret=${SECRET}&digits=5`,
      { type: 'steam', issuer: 'steam', account: 'gaben', digits: 5 },
    ],
    [
      'a 6-digit totp link from Steam stays a 6-digit totp account',
      `otpauth://totp/Steam:gaben?secret=${SECRET}&issuer=Steam`,
      { issuer: 'Steam', account: 'gaben' },
    ],
    [
      'encoder=Steam in any case',
      `otpauth://totp/gaben?secret=${SECRET}&Encoder=STEAM`,
      { type: 'steam', account: 'gaben', digits: 5 },
    ],
  ];

  it.each(cases)('%s', (_name, uri, expected) => {
    const parsed = parseOtpauthUri(uri);
    expect(parsed).toEqual({ ...totpDefaults, ...expected });
    expect(OtpParamsSchema.safeParse(parsed).success).toBe(true);
  });
});

describe('parseOtpauthUri: broken percent escapes', () => {
  const broken = (uri: string) => parseOtpauthUri(uri).warnings.map((warning) => warning.code);

  it('keeps a broken escape as typed, with a warning that says so', () => {
    const parsed = parseOtpauthUri(`otpauth://totp/%E0%A4%A?secret=${SECRET}`);
    expect(parsed.account).toBe('%E0%A4%A');
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ code: 'LABEL_BAD_ESCAPE', message: expect.stringMatching(/kept/) }),
    ]);
  });

  it('decodes what it can around the broken parts', () => {
    const parsed = parseOtpauthUri(`otpauth://totp/100%:a%ZZ%E6%97b%C3%A9?secret=${SECRET}`);
    expect(parsed).toMatchObject({ issuer: '100%', account: 'a%ZZ%E6%97bé' });
    expect(broken(`otpauth://totp/100%:a%ZZ%E6%97b%C3%A9?secret=${SECRET}`)).toEqual([
      'LABEL_BAD_ESCAPE',
    ]);
  });

  it.each([
    ['a lone % at the end', 'otpauth://totp/Shop:ann%?secret=JBSWY3DPEHPK3PXP'],
    ['an overlong encoding', 'otpauth://totp/%C0%AF?secret=JBSWY3DPEHPK3PXP'],
    ['a lone continuation byte', 'otpauth://totp/%80x?secret=JBSWY3DPEHPK3PXP'],
    ['in the issuer parameter', 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=%E0%A4'],
  ])('warns for %s', (_name, uri) => {
    expect(broken(uri)).toEqual(['LABEL_BAD_ESCAPE']);
  });

  it('is quiet for valid escapes and for no escapes', () => {
    expect(
      broken(`otpauth://totp/%E6%97%A5:%C3%BCser%40x?secret=${SECRET}&issuer=%E6%97%A5`),
    ).toEqual([]);
    expect(broken(`otpauth://totp/Shop:ann?secret=${SECRET}`)).toEqual([]);
  });
});

describe('parseOtpauthUri: issuer in both places', () => {
  it('is quiet when they agree', () => {
    const parsed = parseOtpauthUri(`otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example`);
    expect(parsed.warnings).toEqual([]);
  });

  it('uses the parameter and warns when they differ', () => {
    const parsed = parseOtpauthUri(`otpauth://totp/Old%20Name:alice?secret=${SECRET}&issuer=New`);
    expect(parsed.issuer).toBe('New');
    expect(parsed.account).toBe('alice');
    expect(parsed.warnings).toEqual([
      {
        code: 'ISSUER_MISMATCH',
        message:
          'The link names the issuer "Old Name" in its label but "New" in its issuer parameter; ' +
          'Chronokey used "New".',
      },
    ]);
  });

  it('does not warn when the label issuer is empty (a leading colon)', () => {
    const parsed = parseOtpauthUri(`otpauth://totp/:a:b?secret=${SECRET}&issuer=X`);
    expect(parsed).toMatchObject({ issuer: 'X', account: 'a:b', warnings: [] });
  });

  it('keeps the warning within the domain’s 500-character limit for long issuers', () => {
    const long = (c: string) => c.repeat(500);
    const parsed = parseOtpauthUri(
      `otpauth://totp/${long('a')}:x?secret=${SECRET}&issuer=${long('b')}`,
    );
    expect(parsed.warnings[0]?.code).toBe('ISSUER_MISMATCH');
    expect(OtpParamsSchema.safeParse(parsed).success).toBe(true);
    expect(parsed.warnings[0]?.message.length).toBeLessThanOrEqual(500);
  });
});

describe('parseOtpauthUri: errors', () => {
  const cases: Array<[string, string]> = [
    ['URI_NOT_OTPAUTH', 'https://example.com/?secret=JBSWY3DPEHPK3PXP'],
    ['URI_NOT_OTPAUTH', 'JBSWY3DPEHPK3PXP'],
    ['URI_NOT_OTPAUTH', ''],
    ['URI_NOT_OTPAUTH', 'otpauth:totp/x?secret=JBSWY3DPEHPK3PXP'],
    ['URI_NOT_OTPAUTH', 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8'],
    ['URI_TOO_LONG', `otpauth://totp/x?secret=${SECRET}&pad=${'a'.repeat(64 * 1024)}`],
    ['TYPE_UNSUPPORTED', `otpauth://motp/x?secret=${SECRET}`],
    ['TYPE_UNSUPPORTED', `otpauth:///x?secret=${SECRET}`],
    ['SECRET_MISSING', 'otpauth://totp/x?issuer=Example'],
    ['SECRET_MISSING', 'otpauth://totp/x'],
    ['SECRET_EMPTY', 'otpauth://totp/x?secret='],
    ['SECRET_EMPTY', 'otpauth://totp/x?secret=%20%3D%3D'],
    ['SECRET_INVALID', 'otpauth://totp/x?secret=JBSWY3DPEHPK3PX0'],
    ['SECRET_INVALID', 'otpauth://totp/x?secret=A'],
    ['SECRET_TOO_LONG', `otpauth://totp/x?secret=${'A'.repeat(1025)}`],
    ['ALGORITHM_UNSUPPORTED', `otpauth://totp/x?secret=${SECRET}&algorithm=MD5`],
    ['ALGORITHM_UNSUPPORTED', `otpauth://totp/x?secret=${SECRET}&algorithm=SHA224`],
    ['DIGITS_INVALID', `otpauth://totp/x?secret=${SECRET}&digits=5`],
    ['DIGITS_INVALID', `otpauth://totp/Steamy:x?secret=${SECRET}&digits=5`],
    ['DIGITS_INVALID', `otpauth://totp/x?secret=${SECRET}&digits=5&issuer=Valve`],
    ['DIGITS_INVALID', `otpauth://hotp/Steam:x?secret=${SECRET}&digits=5&counter=1`],
    ['DIGITS_INVALID', `otpauth://totp/x?secret=${SECRET}&digits=11`],
    ['DIGITS_INVALID', `otpauth://totp/x?secret=${SECRET}&digits=6.0`],
    ['DIGITS_INVALID', `otpauth://hotp/x?secret=${SECRET}&counter=1&digits=six`],
    ['PERIOD_INVALID', `otpauth://totp/x?secret=${SECRET}&period=0`],
    ['PERIOD_INVALID', `otpauth://totp/x?secret=${SECRET}&period=-30`],
    ['PERIOD_INVALID', `otpauth://totp/x?secret=${SECRET}&period=1e3`],
    ['PERIOD_INVALID', `otpauth://steam/x?secret=${SECRET}&period=2147483648`],
    ['COUNTER_MISSING', `otpauth://hotp/x?secret=${SECRET}`],
    ['COUNTER_MISSING', `otpauth://hotp/x?secret=${SECRET}&counter=`],
    ['COUNTER_INVALID', `otpauth://hotp/x?secret=${SECRET}&counter=-1`],
    ['COUNTER_INVALID', `otpauth://hotp/x?secret=${SECRET}&counter=1.5`],
    ['COUNTER_INVALID', `otpauth://hotp/x?secret=${SECRET}&counter=0x10`],
    ['COUNTER_INVALID', `otpauth://hotp/x?secret=${SECRET}&counter=9007199254740992`],
    ['LABEL_TOO_LONG', `otpauth://totp/${'a'.repeat(513)}?secret=${SECRET}`],
    ['LABEL_TOO_LONG', `otpauth://totp/x?secret=${SECRET}&issuer=${'a'.repeat(513)}`],
  ];

  it.each(cases)('%s: %s', (code, uri) => {
    const error = errorOf(() => parseOtpauthUri(uri));
    expect(error.code).toBe(code);
    // Every message is a sentence a person can read, and never the secret itself.
    expect(error.message).toMatch(/^[A-Z"].*[.?]$/s);
    expect(error.message).not.toContain(SECRET);
    expect(error.message.length).toBeLessThanOrEqual(500);
  });

  it('points Google Authenticator exports to the right place', () => {
    const error = errorOf(() => parseOtpauthUri('otpauth-migration://offline?data=abc'));
    expect(error.message).toContain('Google Authenticator');
  });

  it('names the bad secret character', () => {
    const error = errorOf(() => parseOtpauthUri('otpauth://totp/x?secret=ABC%24DEF'));
    expect(error.message).toContain('"$"');
  });

  it('keeps values quoted in messages short', () => {
    const error = errorOf(() =>
      parseOtpauthUri(`otpauth://totp/x?secret=${SECRET}&algorithm=${'X'.repeat(1000)}`),
    );
    expect(error.code).toBe('ALGORITHM_UNSUPPORTED');
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('formatOtpauthUri', () => {
  const base: OtpParams = { ...totpDefaults, issuer: 'ACME Co', account: 'john.doe@email.com' };

  it('writes the Key URI format with the issuer in label and parameter', () => {
    expect(formatOtpauthUri(base)).toBe(
      `otpauth://totp/ACME%20Co:john.doe%40email.com?secret=${SECRET}&issuer=ACME%20Co` +
        '&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('writes a counter and no period for hotp', () => {
    expect(formatOtpauthUri({ ...base, type: 'hotp', counter: 7 })).toBe(
      `otpauth://hotp/ACME%20Co:john.doe%40email.com?secret=${SECRET}&issuer=ACME%20Co` +
        '&algorithm=SHA1&digits=6&counter=7',
    );
  });

  it('writes Steam accounts as otpauth://steam links', () => {
    const steam: OtpParams = {
      ...base,
      type: 'steam',
      issuer: 'Steam',
      account: 'gaben',
      digits: 5,
    };
    expect(formatOtpauthUri(steam)).toMatch(/^otpauth:\/\/steam\/Steam:gaben\?secret=/);
  });

  it('writes just the account when there is no issuer', () => {
    expect(formatOtpauthUri({ ...base, issuer: '' })).toMatch(
      /^otpauth:\/\/totp\/john\.doe%40email\.com\?secret=/,
    );
  });

  it('guards an account containing ":" with a leading colon when there is no issuer', () => {
    const params: OtpParams = { ...base, issuer: '', account: 'domain:user' };
    expect(formatOtpauthUri(params)).toMatch(/^otpauth:\/\/totp\/:domain%3Auser\?/);
    expect(parseOtpauthUri(formatOtpauthUri(params))).toEqual({ ...params, warnings: [] });
  });

  it.each([
    ['A:B', 'c:d'],
    ['100%', '%41'],
    ['Q?', 'a#b'],
    ['R&D', 'x+y=z'],
    ['Ünïcödé 日本', '🦊 fox'],
    ['', 'x'],
    ['Only issuer', ''],
    ['', ''],
  ])('round-trips issuer %j and account %j', (issuer, account) => {
    const params: OtpParams = { ...base, issuer, account };
    expect(parseOtpauthUri(formatOtpauthUri(params))).toEqual({ ...params, warnings: [] });
  });

  it('writes a lone surrogate as U+FFFD instead of throwing', () => {
    const uri = formatOtpauthUri({ ...base, account: 'a\uD800b' });
    expect(parseOtpauthUri(uri).account).toBe('a\uFFFDb');
  });
});
