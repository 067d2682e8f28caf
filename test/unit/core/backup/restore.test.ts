import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChronokeyError } from '../../../../shared/errors';
import { referenceCode, sampleAccounts } from './backup-fixtures';
import { NOW, freshApp } from './backup-app';

const PASSWORD = 'restore me';
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(os.tmpdir(), 'chronokey-restore-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

type App = Awaited<ReturnType<typeof freshApp>>;

async function restore(app: App, file: string, password: string, mode: 'merge' | 'replace') {
  let preview = await app.call('import.addFiles', {
    files: [{ name: 'backup.ckb', base64: (await readFile(file)).toString('base64') }],
  });
  expect(preview.needsPassword).toEqual([{ source: 'backup.ckb', label: expect.any(String) }]);
  preview = await app.call('import.unlock', {
    previewId: preview.id,
    source: 'backup.ckb',
    password,
  });
  const keys = preview.items
    .filter((item) => mode === 'replace' || item.selected)
    .map((item) => item.key);
  return app.call('import.commit', { previewId: preview.id, keys, mode });
}

describe('backup → restore through the app handlers', () => {
  it('restores 1,050 accounts of every type into a fresh vault with every field and the same codes', async () => {
    const accounts = sampleAccounts(1050);
    const source = await freshApp(root, 'source', accounts);
    const file = join(root, 'backup.ckb');
    source.willSaveTo(file);
    expect(await source.call('backup.export', { format: 'chronokey', password: PASSWORD })).toEqual(
      {
        path: file,
        verified: true,
        accounts: 1050,
      },
    );
    const target = await freshApp(root, 'target');
    const { added } = await restore(target, file, PASSWORD, 'merge');
    expect(added).toHaveLength(1050);
    const restored = (await target.session.content()).accounts;
    expect(restored).toEqual(accounts);
    for (const [index, account] of restored.entries()) {
      expect((await target.call('codes.current', undefined))[index]!.code).toBe(
        referenceCode(account, NOW),
      );
      if (index > 30) break;
    }
    const codes = await target.call('codes.current', undefined);
    expect(codes.map((c) => c.code)).toEqual(accounts.map((a) => referenceCode(a, NOW)));
  }, 60_000);

  it('merge skips duplicates; replace puts the backup in place of everything, in one write', async () => {
    const accounts = sampleAccounts(20);
    const source = await freshApp(root, 'source', accounts);
    const file = join(root, 'b.ckb');
    source.willSaveTo(file);
    await source.call('backup.export', { format: 'chronokey', password: PASSWORD });

    const other = sampleAccounts(3, 'other');
    const target = await freshApp(root, 'target', [...accounts.slice(0, 5), ...other]);
    const merged = await restore(target, file, PASSWORD, 'merge');
    expect(merged.added).toHaveLength(15);
    expect((await target.session.content()).accounts).toHaveLength(23);

    const replaced = await restore(target, file, PASSWORD, 'replace');
    expect(replaced.added).toHaveLength(20);
    expect((await target.session.content()).accounts).toEqual(accounts);
  }, 60_000);

  it('a wrong password, a flipped byte or a cut file changes nothing', async () => {
    const source = await freshApp(root, 'source', sampleAccounts(4));
    const file = join(root, 'b.ckb');
    source.willSaveTo(file);
    await source.call('backup.export', { format: 'chronokey', password: PASSWORD });
    const existing = sampleAccounts(2, 'keep');
    const target = await freshApp(root, 'target', existing);

    let preview = await target.call('import.addFiles', {
      files: [{ name: 'b.ckb', base64: (await readFile(file)).toString('base64') }],
    });
    await expect(
      target.call('import.unlock', { previewId: preview.id, source: 'b.ckb', password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'IMPORT_WRONG_PASSWORD' });

    const bytes = await readFile(file);
    for (const damaged of [
      Buffer.concat([bytes.subarray(0, 100), Buffer.from([bytes[100]! ^ 1]), bytes.subarray(101)]),
      bytes.subarray(0, bytes.length - 5),
    ]) {
      preview = await target.call('import.addFiles', {
        files: [{ name: 'bad.ckb', base64: damaged.toString('base64') }],
      });
      const after = await target
        .call('import.unlock', { previewId: preview.id, source: 'bad.ckb', password: PASSWORD })
        .catch((error: ChronokeyError) => ({ items: [], errors: [{ code: error.code }] }));
      expect(after.items).toEqual([]);
      expect(after.errors.map((e) => e.code)).toContain('BACKUP_DAMAGED');
    }
    expect((await target.session.content()).accounts).toEqual(existing);
  }, 60_000);
});
