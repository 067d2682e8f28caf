import { ChronokeyError, isChronokeyError } from '../../shared/errors';
import { requireStrongPassword } from '../core/password-policy';
import { systemClock } from '../core/ports';
import { VaultSession } from '../core/session';
import type { CliIo } from './cli-io';
import type { Context, Globals } from './context';
import { parseCommand, print } from './context';
import { promptPassword, readFirstLine } from './password';

/** `chronokey init`: creates a vault, unlocked by the keychain or protected by a password. */
export async function initCommand(args: string[], globals: Globals, io: CliIo): Promise<number> {
  const { context, values } = parseCommand(
    args,
    globals,
    io,
    { 'no-keychain': { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const wantKeychain = values['no-keychain'] !== true;
  const keychainAvailable = wantKeychain && (await context.keychain.isAvailable());
  let password: string | undefined;
  if (context.passwordStdin) password = await readFirstLine(io.stdin);
  else if (!keychainAvailable && io.stdin.isTTY) {
    password = await askNewPassword(context, wantKeychain);
  }
  if (!wantKeychain && password === undefined) {
    throw new ChronokeyError(
      'VAULT_PASSWORD_REQUIRED',
      'A vault without the keychain needs a password: give it with --password-stdin.',
    );
  }
  if (wantKeychain && !keychainAvailable && password === undefined) {
    throw new ChronokeyError(
      'KEYCHAIN_UNAVAILABLE',
      'No system keychain could be reached to hold the vault key, so no vault was made. Make sure gnome-keyring or KWallet is running and unlocked (Linux), or protect the vault with a password instead: printf "%s\\n" "your passphrase" | chronokey init --no-keychain --password-stdin',
    );
  }
  if (password !== undefined) await requireStrongPassword(password, 'master');
  const session = new VaultSession({ dir: context.dir, keychain: context.keychain }, systemClock);
  try {
    await session.create({ useKeychain: wantKeychain && keychainAvailable, password });
  } catch (error) {
    if (isChronokeyError(error) && error.code === 'KEYCHAIN_UNAVAILABLE') {
      throw new ChronokeyError(
        'KEYCHAIN_UNAVAILABLE',
        `${error.message} From the command line: chronokey init --no-keychain --password-stdin`,
      );
    }
    throw error;
  }
  const status = await session.status();
  session.lock();
  if (context.json) {
    print(context, { dir: context.dir, slots: status.slots });
  } else {
    const how = status.slots.map((slot) =>
      slot === 'keychain' ? 'the system keychain' : 'your password',
    );
    io.stdout.write(`Created a vault in ${context.dir}, unlocked by ${how.join(' or ')}.\n`);
    if (wantKeychain && !keychainAvailable) {
      io.stderr.write(
        'Note: no system keychain could be reached, so the vault is protected by your password only.\n',
      );
    }
  }
  return 0;
}

async function askNewPassword(context: Context, keychainWanted: boolean): Promise<string> {
  if (keychainWanted) {
    process.stderr.write('No system keychain could be reached, so the vault needs a password.\n');
  }
  const first = await promptPassword(context.io.stdin, process.stderr, 'New vault password: ');
  await requireStrongPassword(first, 'master');
  const again = await promptPassword(context.io.stdin, process.stderr, 'Type it again: ');
  if (first !== again) {
    throw new ChronokeyError('PASSWORD_MISMATCH', 'The two passwords differ; nothing was created.');
  }
  return first;
}
