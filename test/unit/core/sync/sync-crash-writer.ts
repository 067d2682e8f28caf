/**
 * A separate process that rewrites its replica in a real sync folder, for sync-crash.test.ts.
 *
 *   node --import tsx sync-crash-writer.ts <content.json>
 *     loads the vault content (a device already joined to the folder) into an in-memory vault,
 *     prints "ready", waits for "go" on stdin, then forever: renames the first account, runs a
 *     sync pass (which writes devices/<deviceId>.ckr through the temp file and rename) and
 *     prints the sequence number of the replica it wrote once the pass has returned. The parent
 *     SIGKILLs it at a random moment.
 * Files under devices/ are written slowly, in small pieces with a turn of the event loop between
 * them, after printing "writing": so the parent can kill it while a replica is half written.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { createInterface } from 'node:readline';
import { runSyncPass } from '../../../../main/core/sync/sync-pass';
import { nodeVaultFs, type VaultFs } from '../../../../main/core/vault/vault-fs';
import { memoryVault } from './helpers';

const [contentPath] = process.argv.slice(2);
if (!contentPath) {
  console.error('usage: sync-crash-writer.ts <content.json>');
  process.exit(2);
}

// If the test that started us dies (a timeout, a crash), our stdin closes: never outlive it.
process.stdin.on('close', () => process.exit(1));

const CHUNK_BYTES = 2048;
const slowFs: VaultFs = {
  ...nodeVaultFs,
  open: async (path, flags, mode) => {
    const handle = await open(path, flags, mode);
    if (!path.includes(`${sep}devices${sep}`)) return handle;
    process.stdout.write('writing\n');
    return {
      writeFile: async (data) => {
        const bytes = typeof data === 'string' ? Buffer.from(data) : data;
        for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
          await handle.write(bytes.subarray(offset, offset + CHUNK_BYTES));
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
};

const vault = memoryVault(JSON.parse(await readFile(contentPath, 'utf8')));
const deps = {
  vault,
  fs: slowFs,
  clock: { now: () => Date.now() },
  random: randomBytes,
};
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'go') resolve();
  });
});

for (let round = 0; ; round += 1) {
  await vault.update((draft) => {
    const first = draft.accounts[0];
    if (!first) throw new Error('the writer needs at least one account');
    first.issuer = `round ${process.pid}-${round}`;
  });
  const outcome = await runSyncPass(deps);
  if (!outcome.wroteReplica) throw new Error('the pass wrote no replica');
  // Pipes are written synchronously on POSIX: once this returns the parent will see it.
  process.stdout.write(`${vault.current.sync?.sequence ?? 0}\n`);
}
