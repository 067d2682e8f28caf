import QRCode from 'qrcode';
import type { AccountView, Algorithm } from '../../shared/domain';
import { Algorithm as AlgorithmSchema, DEFAULT_PERIOD } from '../../shared/domain';
import { systemClock } from '../core/ports';
import { displayName, findAccount } from '../core/accounts';
import { randomSecret } from '../core/otp/base32';
import { verifyCode } from '../core/otp/generate';
import { formatOtpauthUri, parseOtpauthUri } from '../core/otp/otpauth-uri';
import { cliView } from './account-commands';
import type { CliIo } from './cli-io';
import type { Globals } from './context';
import {
  call,
  clockAt,
  openCore,
  parseCommand,
  parseWholeNumber,
  print,
  requireOne,
} from './context';
import { syncAfterWrite } from './sync-after-write';
import { UsageError } from './usage';

/** new and verify: the commands for someone who runs a service and hands out secrets. */

/** Keys as long as the hash's output, as RFC 4226 and RFC 6238 recommend. */
const SECRET_BYTES: Record<Algorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

export async function newCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, values } = parseCommand(
    args,
    globals,
    io,
    {
      issuer: { type: 'string' },
      account: { type: 'string' },
      algorithm: { type: 'string' },
      digits: { type: 'string' },
      period: { type: 'string' },
      'no-add': { type: 'boolean' },
    },
    { min: 0, max: 0, names: '' },
  );
  const issuer = typeof values.issuer === 'string' ? values.issuer.trim() : '';
  const accountName = typeof values.account === 'string' ? values.account.trim() : '';
  if (issuer === '' || accountName === '') {
    throw new UsageError(
      'new needs a non-empty --issuer (your service) and --account (the user it is for)',
    );
  }
  const algorithm = parseAlgorithm(values.algorithm);
  const secret = randomSecret(SECRET_BYTES[algorithm]);
  // Build the link and parse it back: the parser checks digits and period like any link.
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm,
    digits: typeof values.digits === 'string' ? values.digits : '6',
    period: typeof values.period === 'string' ? values.period : String(DEFAULT_PERIOD),
  });
  const draft = `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}?${query}`;
  const { warnings: _warnings, ...params } = parseOtpauthUri(draft);
  const uri = formatOtpauthUri(params);
  let added: AccountView | undefined;
  if (values['no-add'] !== true) {
    const core = await openCore(context);
    added = await call(core.handlers, 'accounts.add', { uri });
  }
  if (context.json) {
    print(context, { secret, uri, ...(added && { account: cliView(added) }) });
  } else {
    // Colours only for a terminal: in a file or a pipe the code is drawn with plain characters.
    const qr = await QRCode.toString(uri, {
      type: io.stdout.isTTY === true ? 'terminal' : 'utf8',
      small: true,
      errorCorrectionLevel: 'M',
    });
    io.stdout.write(`Secret: ${secret}\nLink:   ${uri}\n\n${qr}\n`);
    io.stdout.write(
      added
        ? `Added ${displayName(added)} (id ${added.id}).\n`
        : 'Not added to the vault (--no-add).\n',
    );
  }
  return 0;
}

export async function verifyCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, values, positionals } = parseCommand(
    args,
    globals,
    io,
    { window: { type: 'string' }, at: { type: 'string' }, advance: { type: 'boolean' } },
    { min: 2, max: 2, names: 'QUERY and CODE' },
  );
  const window =
    typeof values.window === 'string'
      ? parseWholeNumber(values.window, '--window', 1000)
      : undefined;
  const clock = clockAt(values.at);
  const core = await openCore(context, clock);
  const account = requireOne((await core.session.content()).accounts, positionals[0]!);
  const advance = values.advance === true;
  if (advance && account.type !== 'hotp') {
    throw new UsageError(
      '--advance is for counter-based (HOTP) accounts; time-based codes move on by themselves',
    );
  }
  const result = verifyCode(account, positionals[1]!, {
    nowMs: clock.now(),
    ...(window !== undefined && { window }),
  });
  let counter: number | undefined;
  if (result.valid && advance) {
    // RFC 4226 7.2: after a successful check the server moves past the matched counter, so the
    // same code (and the ones before it) is never accepted again; never backwards.
    const matched = account.counter + result.delta;
    counter = await core.session.update((draft) => {
      const stored = findAccount(draft, account.id);
      stored.counter = Math.max(stored.counter, matched + 1);
      return stored.counter;
    });
    await syncAfterWrite(core.session, context, systemClock);
  }
  if (context.json) {
    print(context, { id: account.id, ...result, ...(counter !== undefined && { counter }) });
  } else if (result.valid) {
    io.stdout.write(
      `Valid code for ${displayName(account)}.${counter !== undefined ? ` Counter is now ${counter}.` : ''}\n`,
    );
  }
  if (!result.valid && !context.json) {
    io.stderr.write(`CODE_INVALID: That code is not valid for ${displayName(account)} now.\n`);
  }
  return result.valid ? 0 : 1;
}

function parseAlgorithm(value: string | boolean | undefined): Algorithm {
  if (typeof value !== 'string') return 'SHA1';
  const result = AlgorithmSchema.safeParse(value.toUpperCase().replace('-', ''));
  if (!result.success) throw new UsageError('--algorithm must be SHA1, SHA256 or SHA512');
  return result.data;
}
