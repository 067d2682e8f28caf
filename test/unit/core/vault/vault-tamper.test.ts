import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChronokeyError } from '../../../../shared/errors';
import {
  createVault,
  inspectVault,
  openVault,
  type VaultDeps,
} from '../../../../main/core/vault/vault';
import { contentWith, makeAccount, removeRoot, snapshotDir, tempRoot } from './helpers/fixtures';
import { memoryDeps } from './helpers/deps';

/**
 * Damage at any byte, and truncation at any length, must end in a clear error (never success,
 * never a crash) and must leave the damaged file exactly as it was.
 */

let root: string;
beforeAll(async () => {
  root = await tempRoot();
});
afterAll(async () => {
  await removeRoot(root);
});

async function attempt(run: () => Promise<unknown>): Promise<ChronokeyError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ChronokeyError) return error;
    throw new Error(`not a ChronokeyError: ${String(error)}`, { cause: error });
  }
  throw new Error('a damaged vault opened successfully');
}

/** Prefix length (magic … checksum) of a vault file, per docs/vault-format.md. */
function prefixLength(bytes: Buffer): number {
  return 14 + bytes.readUInt32BE(10) + 32;
}

describe('a keychain vault with a previous generation', { timeout: 120_000 }, () => {
  let deps: VaultDeps;
  let dir: string;
  let good: Buffer;
  const path = () => join(dir, 'vault.ckv');

  beforeAll(async () => {
    ({ deps, dir } = memoryDeps(join(root, 'keychain')));
    const vault = await createVault(deps, { useKeychain: true, content: contentWith(2) });
    await vault.update((draft) => void draft.accounts.push(makeAccount('third')));
    good = await readFile(path());
  });

  it('rejects a flipped byte at every offset, with three different flips', async () => {
    const prevBefore = await readFile(join(dir, 'vault.ckv.prev'));
    const seen = new Map<string, number>();
    for (let offset = 0; offset < good.length; offset += 1) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = Buffer.from(good);
        damaged[offset]! ^= mask;
        await writeFile(path(), damaged);
        const mtimeMs = (await stat(path())).mtimeMs;
        const error = await attempt(() => openVault(deps));
        expect(['VAULT_CORRUPT', 'VAULT_VERSION_UNSUPPORTED'], `offset ${offset}`).toContain(
          error.code,
        );
        if (error.code === 'VAULT_CORRUPT') {
          expect(error.message).toMatch(/vault\.ckv\.prev.*may be restorable/);
        } else {
          // Only the two version bytes can honestly read as "made by a newer Chronokey".
          expect([8, 9]).toContain(offset);
        }
        // Nothing was written: same bytes, same time stamp.
        expect((await readFile(path())).equals(damaged), `offset ${offset}`).toBe(true);
        expect((await stat(path())).mtimeMs).toBe(mtimeMs);
        seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
      }
    }
    expect(seen.get('VAULT_CORRUPT')).toBeGreaterThan(good.length * 2);
    expect(await readFile(join(dir, 'vault.ckv.prev'))).toEqual(prevBefore);
    expect((await readdir(dir)).sort()).toEqual(['vault.ckv', 'vault.ckv.prev', 'vault.state']);
    await writeFile(path(), good);
    expect((await openVault(deps)).content.accounts).toHaveLength(3);
  });

  it('rejects random damage of one to four bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            offset: fc.nat({ max: good.length - 1 }),
            mask: fc.integer({ min: 1, max: 255 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (flips) => {
          const damaged = Buffer.from(good);
          for (const { offset, mask } of flips) damaged[offset]! ^= mask;
          fc.pre(!damaged.equals(good));
          await writeFile(path(), damaged);
          const error = await attempt(() => openVault(deps));
          expect(['VAULT_CORRUPT', 'VAULT_VERSION_UNSUPPORTED']).toContain(error.code);
        },
      ),
      { numRuns: 300 },
    );
    await writeFile(path(), good);
  });

  it('rejects the file cut short at every length', async () => {
    for (let length = 0; length < good.length; length += 1) {
      await writeFile(path(), good.subarray(0, length));
      const before = await snapshotDir(dir);
      const error = await attempt(() => openVault(deps));
      expect(error.code, `length ${length}`).toBe('VAULT_CORRUPT');
      expect(await snapshotDir(dir)).toEqual(before);
    }
    await writeFile(path(), good);
  });

  it('rejects extra bytes at the end', async () => {
    for (const extra of [Buffer.alloc(1), Buffer.from('garbage'), Buffer.alloc(4096, 0xaa)]) {
      await writeFile(path(), Buffer.concat([good, extra]));
      expect((await attempt(() => openVault(deps))).code).toBe('VAULT_CORRUPT');
    }
    await writeFile(path(), good);
  });

  it('damaged headers are reported by inspectVault too', async () => {
    const damaged = Buffer.from(good);
    damaged[20]! ^= 0x04;
    await writeFile(path(), damaged);
    expect((await attempt(() => inspectVault(deps))).code).toBe('VAULT_CORRUPT');
    await writeFile(path(), good);
  });

  it('an open vault refuses to write over a file damaged since it was opened', async () => {
    const vault = await openVault(deps);
    for (const offset of [
      0,
      9,
      12,
      30,
      prefixLength(good) - 1,
      prefixLength(good) + 3,
      good.length - 1,
    ]) {
      const damaged = Buffer.from(good);
      damaged[offset]! ^= 0x20;
      await writeFile(path(), damaged);
      const before = await snapshotDir(dir);
      const error = await attempt(() => vault.update((draft) => void draft.accounts.pop()));
      expect(['VAULT_CORRUPT', 'VAULT_VERSION_UNSUPPORTED']).toContain(error.code);
      expect(await snapshotDir(dir)).toEqual(before);
    }
    await writeFile(path(), good);
  });
});

describe('a vault with a password slot', { timeout: 120_000 }, () => {
  it('reports header damage before trying the password, and payload damage as damage', async () => {
    const { deps, dir } = memoryDeps(join(root, 'password'));
    await createVault(deps, { useKeychain: false, password: 'pw', content: contentWith(1) });
    const path = join(dir, 'vault.ckv');
    const good = await readFile(path);
    const prefix = prefixLength(good);

    for (let offset = 0; offset < prefix; offset += 1) {
      const damaged = Buffer.from(good);
      damaged[offset]! ^= 0x01;
      await writeFile(path, damaged);
      // Even with a wrong password the answer is "damaged": the header is checked before any
      // key derivation, so damage is never mistaken for a typo.
      const error = await attempt(() => openVault(deps, { password: 'not the password' }));
      expect(['VAULT_CORRUPT', 'VAULT_VERSION_UNSUPPORTED'], `offset ${offset}`).toContain(
        error.code,
      );
      // No .prev yet: the message says to use a backup instead.
      if (error.code === 'VAULT_CORRUPT') expect(error.message).toMatch(/backup/);
    }

    for (const offset of [prefix, prefix + 11, prefix + 12, good.length - 17, good.length - 1]) {
      const damaged = Buffer.from(good);
      damaged[offset]! ^= 0x40;
      await writeFile(path, damaged);
      const before = await snapshotDir(dir);
      const error = await attempt(() => openVault(deps, { password: 'pw' }));
      expect(error.code, `offset ${offset}`).toBe('VAULT_CORRUPT');
      expect(await snapshotDir(dir)).toEqual(before);
    }
  });
});
