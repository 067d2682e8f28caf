/**
 * Run with an unreachable session bus (DBUS_SESSION_BUS_ADDRESS pointing nowhere): reports, as
 * one JSON line, what the real keytar keychain and createVault do when no keychain answers.
 *   node --import tsx keychain-probe.ts <vault dir>
 */
import { isChronokeyError } from '../../../../../shared/errors';
import { createKeytarKeychain } from '../../../../../main/core/vault/keychain';
import { createVault } from '../../../../../main/core/vault/vault';

const dir = process.argv[2];
if (!dir) throw new Error('usage: keychain-probe.ts <vault dir>');
const keychain = createKeytarKeychain('Chronokey', { timeoutMs: 3000 });

async function codeOf(run: () => Promise<unknown>) {
  try {
    await run();
    return { code: 'OK', message: '' };
  } catch (error) {
    return isChronokeyError(error)
      ? { code: error.code, message: error.message }
      : { code: 'THROWN', message: String(error) };
  }
}

const result = {
  available: await keychain.isAvailable(),
  get: await codeOf(() => keychain.get('vault:probe')),
  create: await codeOf(() => createVault({ dir, keychain }, { useKeychain: true })),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
