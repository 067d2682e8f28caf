import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/**
 * Reads a file that must be a regular file of at most `maxBytes`, the one way Chronokey reads
 * any file it is pointed at (the vault, an import, a backup to verify, a sync replica). A FIFO,
 * a device such as /dev/zero, a socket or a folder is refused before anything is read, and a
 * file that grows past the limit while it is read is refused at the limit, so no input can make
 * Chronokey hang or fill its memory.
 *
 * Failures are Node-style errors with a `code`: the usual `ENOENT`, `EACCES`…, or
 * `ENOTREGULAR` (not a regular file) and `EFBIG` (over the limit), which describeFsError and
 * the callers turn into sentences.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const before = await stat(path);
  if (!before.isFile()) throw notRegular(path, before.isDirectory());
  if (before.size > maxBytes) throw tooLarge(path, before.size, maxBytes);
  // O_NONBLOCK: should the path have become a FIFO since the stat, opening it cannot block.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(path, info.isDirectory());
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const room = maxBytes + 1 - total;
      const buffer = Buffer.allocUnsafe(Math.min(Math.max(room, 1), 1024 * 1024));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, total, maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

export class FileReadError extends Error {
  constructor(
    readonly code: 'ENOTREGULAR' | 'EFBIG',
    message: string,
    readonly path: string,
    readonly size?: number,
    readonly limit?: number,
  ) {
    super(message);
  }
}

function notRegular(path: string, folder: boolean): FileReadError {
  return new FileReadError(
    'ENOTREGULAR',
    `${path} is ${folder ? 'a folder' : 'not a regular file (a device, pipe or socket)'}`,
    path,
  );
}

function tooLarge(path: string, size: number, limit: number): FileReadError {
  return new FileReadError('EFBIG', `${path} is larger than ${limit} bytes`, path, size, limit);
}
