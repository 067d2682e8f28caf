/**
 * A separate process that writes a vault, for the crash-safety and two-writer tests.
 *
 *   node --import tsx vault-writer.ts crash-loop <dir>
 *     opens the vault (real keychain), prints "ready", waits for "go" on stdin, then forever:
 *     bumps the sequence number kept in the first account's counter and prints it once the
 *     write has returned. The parent SIGKILLs it at a random moment.
 *
 *   node --import tsx vault-writer.ts add-accounts <dir> <prefix> <count>
 *     prints "ready", waits for "go", adds <count> accounts one update at a time, exits 0.
 */
import { createInterface } from 'node:readline';
import { createKeytarKeychain } from '../../../../../main/core/vault/keychain';
import { openVault } from '../../../../../main/core/vault/vault';
import { makeAccount } from './fixtures';

const [mode, dir, prefix = 'w', countText = '50'] = process.argv.slice(2);
if (!mode || !dir) {
  console.error('usage: vault-writer.ts crash-loop|add-accounts <dir> [prefix count]');
  process.exit(2);
}

// If the test that started us dies (a timeout, a crash), our stdin closes: never outlive it.
process.stdin.on('close', () => process.exit(1));

const vault = await openVault({ dir, keychain: createKeytarKeychain() });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'go') resolve();
  });
});

if (mode === 'crash-loop') {
  for (;;) {
    const seq = await vault.update((draft) => {
      const first = draft.accounts[0];
      if (!first) throw new Error('the crash-loop vault needs at least one account');
      first.counter += 1;
      first.issuer = `seq ${first.counter}`;
      return first.counter;
    });
    // Pipes are written synchronously on POSIX: once this returns the parent will see it.
    process.stdout.write(`${seq}\n`);
  }
} else if (mode === 'add-accounts') {
  const count = Number(countText);
  for (let i = 0; i < count; i += 1) {
    await vault.update((draft) => {
      draft.accounts.push(makeAccount(`${prefix}-${i}`));
    });
  }
  vault.close();
  process.exit(0);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
