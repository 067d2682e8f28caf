import * as kdbxweb from 'kdbxweb';
import { argon2Key } from './app-backup-json';

/**
 * kdbxweb (KeePass's KDBX 3.1 and 4 format) with Argon2 supplied from node:crypto, and the bounds
 * Chronokey puts on what a file may ask of the key derivation: a file names its own KDF
 * parameters, and without bounds one could ask for hours of AES rounds or gigabytes of memory.
 * KeePassXC's defaults (Argon2id, 64 MiB, about a second) are far inside them.
 */

export const KDBX_BOUNDS = {
  aesRounds: 300_000_000,
  argon2MemoryKib: 1024 * 1024,
  argon2Passes: 100,
  argon2Parallelism: 64,
} as const;

/** A file's KDF parameters are outside KDBX_BOUNDS (or unreadable); `detail` says which. */
export class KdfOutOfBounds extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

const ARGON2_TYPE_ID = 2;
const ARGON2_VERSION_13 = 0x13;

kdbxweb.CryptoEngine.setArgon2Impl(
  async (password, salt, memory, iterations, length, parallelism, type, version) => {
    if (version !== ARGON2_VERSION_13) {
      throw new KdfOutOfBounds(`Argon2 version ${version} (only version 1.3 is in use)`);
    }
    checkArgon2(memory, iterations, parallelism);
    const key = await argon2Key(
      type === ARGON2_TYPE_ID ? 'argon2id' : 'argon2d',
      new Uint8Array(password),
      new Uint8Array(salt),
      { memoryKib: memory, passes: iterations, parallelism, length },
    );
    return key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer;
  },
);

function checkArgon2(memoryKib: number, passes: number, parallelism: number): void {
  if (memoryKib > KDBX_BOUNDS.argon2MemoryKib) {
    throw new KdfOutOfBounds(
      `Argon2 memory of ${Math.round(memoryKib / 1024)} MiB (at most ${KDBX_BOUNDS.argon2MemoryKib / 1024} MiB)`,
    );
  }
  if (passes > KDBX_BOUNDS.argon2Passes) {
    throw new KdfOutOfBounds(`${passes} Argon2 iterations (at most ${KDBX_BOUNDS.argon2Passes})`);
  }
  if (parallelism > KDBX_BOUNDS.argon2Parallelism) {
    throw new KdfOutOfBounds(
      `Argon2 parallelism of ${parallelism} (at most ${KDBX_BOUNDS.argon2Parallelism})`,
    );
  }
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof kdbxweb.Int64) {
    try {
      return value.value;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }
  return undefined;
}

/**
 * Reads the outer header only and refuses absurd KDF parameters before any key is derived (the
 * AES rounds especially: kdbxweb would run them all). A header that cannot be read is left for
 * kdbxweb to report.
 */
export function checkKdfBounds(bytes: Uint8Array): void {
  let header: kdbxweb.KdbxHeader;
  try {
    const buffer = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    header = kdbxweb.KdbxHeader.read(
      new kdbxweb.BinaryStream(buffer),
      new kdbxweb.KdbxContext({ kdbx: new kdbxweb.Kdbx() }),
    );
  } catch {
    return;
  }
  const rounds =
    header.versionMajor < 4
      ? header.keyEncryptionRounds
      : kdfIdOf(header) === kdbxweb.Consts.KdfId.Aes
        ? numberOf(header.kdfParameters?.get('R'))
        : undefined;
  if (rounds !== undefined && rounds > KDBX_BOUNDS.aesRounds) {
    throw new KdfOutOfBounds(
      `${rounds.toLocaleString('en')} AES-KDF rounds (at most ${KDBX_BOUNDS.aesRounds.toLocaleString('en')})`,
    );
  }
  if (header.versionMajor >= 4 && kdfIdOf(header) !== kdbxweb.Consts.KdfId.Aes) {
    const memoryBytes = numberOf(header.kdfParameters?.get('M')) ?? 0;
    checkArgon2(
      memoryBytes / 1024,
      numberOf(header.kdfParameters?.get('I')) ?? 0,
      numberOf(header.kdfParameters?.get('P')) ?? 0,
    );
  }
}

function kdfIdOf(header: kdbxweb.KdbxHeader): string | undefined {
  const uuid = header.kdfParameters?.get('$UUID');
  if (!(uuid instanceof ArrayBuffer) && !ArrayBuffer.isView(uuid)) return undefined;
  const view =
    uuid instanceof ArrayBuffer
      ? new Uint8Array(uuid)
      : new Uint8Array(uuid.buffer, uuid.byteOffset, uuid.byteLength);
  return Buffer.from(view).toString('base64');
}

export { kdbxweb };
