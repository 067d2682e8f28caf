/**
 * Files the user gives the import (opened, dropped or pasted) are read here with the File API
 * and sent to main as base64, so every transport carries them the same way.
 */

export interface ImportFileData {
  name: string;
  base64: string;
}

/** The contract takes up to 96 MiB of base64 per file: 72 MiB of bytes. */
export const MAX_FILE_BYTES = 72 * 1024 * 1024;
/** The contract takes up to 100 files per call; more are sent in several calls. */
export const FILES_PER_CALL = 100;

export class FileTooLargeError extends Error {
  constructor(readonly fileName: string) {
    super(
      `${fileName} is larger than 72 MB, too large to import. Export or crop a smaller file and try again.`,
    );
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  // String.fromCharCode on slices: fast, and no call gets too many arguments.
  let binary = '';
  const chunk = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + chunk));
  }
  return btoa(binary);
}

export async function readImportFile(file: File, name = file.name): Promise<ImportFileData> {
  if (file.size > MAX_FILE_BYTES) throw new FileTooLargeError(name);
  return { name, base64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) };
}

const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
};

/**
 * A clipboard image usually arrives as "image.png"; call it what the user did instead, so an
 * error says "Pasted image.png: no QR code found".
 */
export function pastedFileName(file: File, index: number, count: number): string {
  const extension = IMAGE_EXTENSIONS[file.type];
  if (!extension) return file.name || `Pasted file ${index + 1}`;
  const number = count > 1 ? ` ${index + 1}` : '';
  return `Pasted image${number}.${extension}`;
}

/** The files a DataTransfer carries (a drop or a paste), without directories or strings. */
export function filesOf(transfer: DataTransfer | null): File[] {
  if (!transfer) return [];
  return [...transfer.files];
}

export function hasFiles(transfer: DataTransfer | null): boolean {
  return transfer !== null && [...transfer.types].includes('Files');
}

/** Splits a list into runs of at most `size`. */
export function inGroups<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    groups.push(items.slice(start, start + size));
  return groups;
}

/** Whether pasted text looks like something the import reads (one or many links). */
export function looksImportable(text: string): boolean {
  return /otpauth(-migration)?:\/\//i.test(text);
}

/**
 * Text in the "Paste a link" box that is more than one plain link (several links, or a link
 * with words around it) goes to the import, which finds every link in it.
 */
export function isMoreThanOneLink(text: string): boolean {
  const trimmed = text.trim();
  const links = trimmed.match(/otpauth(-migration)?:\/\/\S+/gi) ?? [];
  if (links.length === 0) return false;
  if (links.length > 1) return true;
  return links[0] !== trimmed || /^otpauth-migration:/i.test(trimmed);
}
