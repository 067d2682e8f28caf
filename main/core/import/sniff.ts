import { ChronokeyError } from '../../../shared/errors';
import type { ImportInput, SniffedInput } from './types';

/** The largest file Chronokey reads (a backup of thousands of accounts is a few MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'bmp';

/** Recognises an image by its first bytes (never by its file name). */
export function imageKind(bytes: Uint8Array): ImageKind | null {
  const starts = (...signature: number[]) => signature.every((byte, at) => bytes[at] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (starts(0x42, 0x4d) && bytes.length >= 26) return 'bmp';
  return null;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads an input once: its text if the bytes are valid UTF-8 or UTF-16 with a byte-order mark
 * (the mark is dropped), and
 * that text parsed as JSON if it is JSON. Images and binary backups have `text: null`.
 */
export function sniffInput(input: ImportInput): SniffedInput {
  if (input.bytes.length > MAX_INPUT_BYTES) {
    throw new ChronokeyError(
      'IMPORT_TOO_LARGE',
      `"${input.name}" is ${megabytes(input.bytes.length)} MiB; Chronokey reads files of up to ` +
        `${megabytes(MAX_INPUT_BYTES)} MiB. Check that this is the right file.`,
    );
  }
  const text = imageKind(input.bytes) === null ? decodeUtf8(input.bytes) : null;
  return {
    name: input.name,
    bytes: input.bytes,
    text,
    json: text === null ? undefined : parseJson(text),
  };
}

/** UTF-8; or UTF-16 when the text starts with its byte-order mark (some Windows exports). */
function decodeUtf8(bytes: Uint8Array): string | null {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : null;
  try {
    return encoding === null
      ? utf8.decode(bytes)
      : new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  // Only objects and arrays: a backup is never a bare number or string.
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Text that starts like JSON but does not parse: where it goes wrong, for the error message.
 * Never quotes the text (JavaScript's own message does, and the text may hold a secret): only
 * the line and column, or that it ends too early.
 */
export function jsonProblem(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    JSON.parse(trimmed);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/end of (JSON )?input|Unterminated/i.test(message) && !/position \d+/.test(message)) {
      return 'it ends too early';
    }
    const position = /position (\d+)/.exec(message);
    if (!position) return 'it is not valid JSON';
    const at = Number(position[1]);
    const before = trimmed.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return at >= trimmed.length
      ? 'it ends too early'
      : `it goes wrong at line ${line}, column ${column}`;
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0);
}
