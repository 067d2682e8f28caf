import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeVaultFs, type VaultFs } from '../../../../main/core/vault/vault-fs';
import { createVault, inspectVault, openVault } from '../../../../main/core/vault/vault';
import {
  contentWith,
  errnoError,
  makeAccount,
  removeRoot,
  snapshotDir,
  tempRoot,
} from './helpers/fixtures';
import { expectCode, memoryDeps } from './helpers/deps';

/**
 * File-system failures. Running as root, chmod cannot make a folder unreadable, so EACCES and
 * friends are injected through the fs port; ENOTDIR is provoked for real.
 */

type Op = keyof VaultFs | 'writeFile' | 'sync';

/** node:fs/promises, except that `fail(op, path)` may name an errno to throw instead. */
function faultyFs(fail: (op: Op, path: string) => string | undefined): VaultFs {
  const check = (op: Op, path: string) => {
    const code = fail(op, path);
    if (code) throw errnoError(code, op);
  };
  return {
    readFile: async (path) => (check('readFile', path), nodeVaultFs.readFile(path)),
    async open(path, flags, mode) {
      check('open', path);
      const handle = await nodeVaultFs.open(path, flags, mode);
      return {
        writeFile: async (data) => (check('writeFile', path), handle.writeFile(data)),
        sync: async () => (check('sync', path), handle.sync()),
        close: () => handle.close(),
      };
    },
    rename: async (from, to) => (check('rename', to), nodeVaultFs.rename(from, to)),
    link: async (existing, newPath) => (
      check('link', newPath),
      nodeVaultFs.link(existing, newPath)
    ),
    copyFile: async (from, to, mode) => (
      check('copyFile', to),
      nodeVaultFs.copyFile(from, to, mode)
    ),
    unlink: async (path) => (check('unlink', path), nodeVaultFs.unlink(path)),
    mkdir: async (path, options) => (check('mkdir', path), nodeVaultFs.mkdir(path, options)),
    rmdir: async (path) => (check('rmdir', path), nodeVaultFs.rmdir(path)),
    readdir: async (path) => (check('readdir', path), nodeVaultFs.readdir(path)),
    stat: async (path) => (check('stat', path), nodeVaultFs.stat(path)),
  };
}

let root: string;
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

describe('reading', () => {
  it('a file where the vault folder should be (real ENOTDIR)', async () => {
    const { deps, dir } = memoryDeps(root);
    await writeFile(dir, 'not a folder');
    const error = await expectCode(openVault(deps), 'VAULT_UNREADABLE');
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/file is in the way/);
    await expectCode(inspectVault(deps), 'VAULT_UNREADABLE');
    const create = await expectCode(createVault(deps, { useKeychain: true }), 'VAULT_UNWRITABLE');
    expect(create.message).toContain(dir);
    expect(await readFile(dir, 'utf8')).toBe('not a folder');
  });

  it('a file where a parent folder should be (real ENOTDIR)', async () => {
    await writeFile(join(root, 'parent'), 'x');
    const { deps } = memoryDeps(join(root, 'parent'));
    const error = await expectCode(openVault(deps), 'VAULT_UNREADABLE');
    expect(error.message).toContain(join(root, 'parent', 'vault'));
  });

  it('a folder where the vault file should be', async () => {
    const { deps, dir } = memoryDeps(root);
    await mkdir(join(dir, 'vault.ckv'), { recursive: true });
    await expectCode(openVault(deps), 'VAULT_UNREADABLE');
  });

  it.each(['EACCES', 'EPERM', 'EIO'])('%s reading the vault, naming the folder', async (code) => {
    const { deps, dir } = memoryDeps(root);
    await createVault(deps, { useKeychain: true, content: contentWith(1) });
    const before = await snapshotDir(dir);
    const fs = faultyFs((op) => (op === 'readFile' ? code : undefined));
    const error = await expectCode(openVault({ ...deps, fs }), 'VAULT_UNREADABLE');
    expect(error.message).toContain(dir);
    if (code === 'EACCES') expect(error.message).toMatch(/permission denied/);
    await expectCode(inspectVault({ ...deps, fs }), 'VAULT_UNREADABLE');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('EACCES on the folder itself when the vault file seems missing', async () => {
    const { deps, dir } = memoryDeps(root);
    await mkdir(dir);
    const fs = faultyFs((op, path) =>
      op === 'readFile' ? 'ENOENT' : op === 'stat' && path === dir ? 'EACCES' : undefined,
    );
    const error = await expectCode(openVault({ ...deps, fs }), 'VAULT_UNREADABLE');
    expect(error.message).toContain(dir);
  });
});

describe('writing', () => {
  const failurePoints: Array<[string, (op: Op, path: string) => boolean]> = [
    ['creating the temp file', (op, path) => op === 'open' && path.includes('.tmp-')],
    ['writing the temp file (disk full)', (op) => op === 'writeFile'],
    ['syncing the temp file', (op, path) => op === 'sync' && path.includes('.tmp-')],
    ['linking the previous generation', (op) => op === 'link'],
    ['renaming over vault.ckv.prev', (op, path) => op === 'rename' && path.endsWith('.prev')],
    ['renaming over vault.ckv', (op, path) => op === 'rename' && path.endsWith('vault.ckv')],
  ];

  it.each(failurePoints)(
    'a failure while %s leaves vault.ckv intact and no temp files',
    async (_name, when) => {
      const { deps, dir } = memoryDeps(root);
      const vault = await createVault(deps, { useKeychain: true, content: contentWith(1) });
      await vault.update((draft) => void draft.accounts.push(makeAccount('second')));
      const good = await readFile(join(dir, 'vault.ckv'));
      let armed = true;
      const fs = faultyFs((op, path) => (armed && when(op, path) ? 'ENOSPC' : undefined));
      const failing = await openVault({ ...deps, fs });
      const error = await expectCode(
        failing.update((draft) => void draft.accounts.push(makeAccount('third'))),
        'VAULT_UNWRITABLE',
      );
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/disk is full.*Nothing was changed/);
      armed = false;
      expect(await readFile(join(dir, 'vault.ckv'))).toEqual(good);
      expect((await readdir(dir)).sort()).toEqual(['vault.ckv', 'vault.ckv.prev', 'vault.state']);
      expect((await openVault(deps)).content.accounts.map((a) => a.id)).toEqual(['a0', 'second']);
      // The in-memory content did not move ahead of the disk, and the lock was released.
      expect(failing.content.accounts).toHaveLength(2);
      await failing.update((draft) => void draft.accounts.push(makeAccount('fourth')));
      expect((await openVault(deps)).content.accounts).toHaveLength(3);
    },
  );

  it('falls back to copying when hard links are refused', async () => {
    const { deps, dir } = memoryDeps(root);
    const fs = faultyFs((op) => (op === 'link' ? 'EPERM' : undefined));
    const vault = await createVault(
      { ...deps, fs },
      { useKeychain: true, content: contentWith(1) },
    );
    const first = await readFile(join(dir, 'vault.ckv'));
    await vault.update((draft) => void draft.accounts.push(makeAccount('b')));
    expect(await readFile(join(dir, 'vault.ckv.prev'))).toEqual(first);
  });

  it.each(['EINVAL', 'EPERM'])('ignores %s from syncing the folder', async (code) => {
    const { deps, dir } = memoryDeps(root);
    await mkdir(dir);
    const fs = faultyFs((op, path) => (op === 'sync' && path === dir ? code : undefined));
    const vault = await createVault({ ...deps, fs }, { useKeychain: true });
    await vault.update((draft) => void draft.accounts.push(makeAccount('b')));
    expect((await openVault(deps)).content.accounts).toHaveLength(1);
  });

  it('a failed create leaves no vault, no temp file and no keychain entry', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    const fs = faultyFs((op, path) =>
      op === 'rename' && path.endsWith('vault.ckv') ? 'EIO' : undefined,
    );
    await expectCode(createVault({ ...deps, fs }, { useKeychain: true }), 'VAULT_UNWRITABLE');
    // The folder it made is gone again, with nothing left in it.
    expect(existsSync(dir)).toBe(false);
    expect(keychain.entries.size).toBe(0);
  });

  it('cannot take the lock in a read-only folder', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    const before = await snapshotDir(dir);
    const fs = faultyFs((op, path) =>
      op === 'open' && path.endsWith('vault.lock') ? 'EROFS' : undefined,
    );
    const readOnly = await openVault({ ...deps, fs });
    const error = await expectCode(
      readOnly.update(() => 1),
      'VAULT_UNWRITABLE',
    );
    expect(error.message).toMatch(/read-only/);
    expect(await snapshotDir(dir)).toEqual(before);
    vault.close();
  });

  it('cleans up temp files and set-aside locks a killed writer left behind', async () => {
    const { deps, dir } = memoryDeps(root);
    const vault = await createVault(deps, { useKeychain: true });
    await writeFile(join(dir, '.vault.ckv.tmp-deadbeef'), 'half a vault');
    await writeFile(join(dir, '.vault.ckv.tmp-deadbeef.prev'), 'half a vault');
    await writeFile(join(dir, '.vault.ckv.tmp-stale-lock-cafe'), '{"pid":1}');
    await vault.update((draft) => void draft.accounts.push(makeAccount('b')));
    expect((await readdir(dir)).sort()).toEqual(['vault.ckv', 'vault.ckv.prev', 'vault.state']);
  });
});
