import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import type { SniffedInput } from '../types';
import { malformed } from './app-backup-json';

/**
 * Reading one file out of a zip export (1Password's `.1pux`, Proton Pass's `.zip`) with fflate.
 * Only the named file is inflated, and only when the archive says it is of a sane size; what the
 * archive says is checked against what comes out.
 */

/** Larger than any authenticator export could be, far smaller than a zip bomb's payload. */
export const MAX_ZIPPED_FILE_BYTES = 64 * 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  );
}

/**
 * The names of the files in the archive (nothing is inflated); null when it is not a zip. A zip
 * cut short has lost its central directory: its names are then read from the local headers that
 * are left, so that it is reported as a damaged export of its app, not as an unknown file.
 */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  if (!isZip(bytes)) return null;
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
    return names;
  } catch {
    return localHeaderNames(bytes);
  }
}

const LOCAL_HEADER = 0x04034b50;

function localHeaderNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names: string[] = [];
  let at = 0;
  while (
    at + 30 <= bytes.length &&
    view.getUint32(at, true) === LOCAL_HEADER &&
    names.length < 1000
  ) {
    const flags = view.getUint16(at + 6, true);
    const compressed = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    if (at + 30 + nameLength > bytes.length) break;
    names.push(new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength)));
    // With a data descriptor (flag bit 3) the size is not in the header: stop at this file.
    if ((flags & 0x08) !== 0) break;
    at += 30 + nameLength + extraLength + compressed;
  }
  return names;
}

/**
 * The first file whose name `wanted` accepts, inflated; a clear error when it cannot be. The
 * archive is fed to the inflater in small steps and reading stops as soon as more comes out than
 * MAX_ZIPPED_FILE_BYTES, so a crafted archive (a size field that lies, a deflate bomb) costs at
 * most that much memory and a moment's work.
 */
export function readZippedFile(
  input: SniffedInput,
  wanted: (name: string) => boolean,
  what: string,
): { name: string; bytes: Uint8Array } {
  let chosen: string | null = null;
  let finished = false;
  let total = 0;
  let tooLarge = false;
  const chunks: Uint8Array[] = [];
  const unzip = new Unzip((file) => {
    if (chosen !== null || !wanted(file.name)) return;
    chosen = file.name;
    file.ondata = (error, chunk, final) => {
      if (error !== null) throw error;
      total += chunk.length;
      if (total > MAX_ZIPPED_FILE_BYTES) {
        tooLarge = true;
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) finished = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < input.bytes.length && !tooLarge && !finished; at += STEP_BYTES) {
      unzip.push(input.bytes.subarray(at, at + STEP_BYTES), at + STEP_BYTES >= input.bytes.length);
    }
  } catch {
    throw malformed(input.name, `the ${what} is not a readable zip archive (it may be cut short).`);
  }
  if (tooLarge) {
    throw malformed(
      input.name,
      `the ${what} holds more than ${MAX_ZIPPED_FILE_BYTES / 1024 / 1024} MiB of data, which no export of accounts needs.`,
    );
  }
  if (chosen === null)
    throw malformed(input.name, `the ${what} does not hold the file its app writes.`);
  if (!finished) throw malformed(input.name, `the ${what} is cut short.`);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { name: chosen, bytes };
}

const STEP_BYTES = 16 * 1024;
