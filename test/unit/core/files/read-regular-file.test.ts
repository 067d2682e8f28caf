import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../../../main/core/files/read-regular-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const unix = process.platform !== 'win32';

describe('readRegularFile', () => {
  it('reads a regular file, also through a symlink', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    expect((await readRegularFile(file, 100)).toString()).toBe('hello');
    symlinkSync(file, path.join(dir, 'link'));
    expect((await readRegularFile(path.join(dir, 'link'), 100)).toString()).toBe('hello');
  });

  it('refuses a file over the limit without reading it', async () => {
    const file = path.join(dir, 'big');
    writeFileSync(file, Buffer.alloc(101));
    await expect(readRegularFile(file, 100)).rejects.toMatchObject({ code: 'EFBIG' });
    await expect(readRegularFile(file, 101)).resolves.toHaveLength(101);
  });

  it('refuses a folder', async () => {
    await expect(readRegularFile(dir, 100)).rejects.toMatchObject({ code: 'ENOTREGULAR' });
  });

  it.skipIf(!unix)('refuses /dev/zero and a symlink to it at once', async () => {
    await expect(readRegularFile('/dev/zero', 1024)).rejects.toMatchObject({
      code: 'ENOTREGULAR',
    });
    symlinkSync('/dev/zero', path.join(dir, 'vault.ckv'));
    await expect(readRegularFile(path.join(dir, 'vault.ckv'), 1024)).rejects.toMatchObject({
      code: 'ENOTREGULAR',
    });
  });

  it.skipIf(!unix)('refuses a FIFO, with or without a writer, without blocking', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readRegularFile(fifo, 1024)).rejects.toMatchObject({ code: 'ENOTREGULAR' });
    const writer = spawn('sh', ['-c', `exec yes > '${fifo}'`]);
    try {
      await expect(readRegularFile(fifo, 1024)).rejects.toMatchObject({ code: 'ENOTREGULAR' });
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('says ENOENT for a missing file', async () => {
    await expect(readRegularFile(path.join(dir, 'none'), 10)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
