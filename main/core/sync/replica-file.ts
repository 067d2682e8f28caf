import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DeviceId, DeviceName, FolderId, KeyId, ReplicaState } from '../../../shared/sync-state';
import { NONCE_BYTES, TAG_BYTES, open, seal } from '../vault/aead';
import type { RandomBytes } from '../vault/key-slots';

/**
 * One device's replica file, `devices/<deviceId>.ckr` (docs/sync-format.md, "Replica files"):
 * magic, version, a public header, its SHA-256, then the replica state sealed with the sync
 * key (AES-256-GCM, the bytes before the nonce as associated data).
 */

export const REPLICA_MAGIC = Buffer.from('CHRONOKR', 'ascii');
export const REPLICA_VERSION = 1;
export const MAX_REPLICA_HEADER_BYTES = 64 * 1024;
/** Far beyond 100,000 accounts' worth; a larger file is refused before it is read. */
export const MAX_REPLICA_FILE_BYTES = 256 * 1024 * 1024;
const FIXED = REPLICA_MAGIC.length + 2 + 4;
const CHECKSUM = 32;

export const ReplicaHeader = z.strictObject({
  folderId: FolderId,
  keyId: KeyId,
  deviceId: DeviceId,
  deviceName: DeviceName,
  sequence: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  writtenAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type ReplicaHeader = z.infer<typeof ReplicaHeader>;

/** Why a replica file was not merged; `detail` is for people, never file content. */
export type ReplicaProblem =
  | 'damaged' // magic, lengths, checksum, header or payload schema
  | 'newer-version' // written by a newer Chronokey
  | 'wrong-key' // the checksum holds but the sync key does not open it
  | 'other-folder' // a replica of another sync folder
  | 'old-key'; // written with a sync key that has since been replaced

export class ReplicaError extends Error {
  constructor(
    readonly problem: ReplicaProblem,
    message: string,
    /** The header, when it could be read (to name the device). */
    readonly header: ReplicaHeader | null = null,
  ) {
    super(message);
  }
}

export function encodeReplica(
  header: ReplicaHeader,
  state: ReplicaState,
  key: Buffer,
  random: RandomBytes,
): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(ReplicaHeader.parse(header)), 'utf8');
  const fixed = Buffer.alloc(FIXED);
  REPLICA_MAGIC.copy(fixed, 0);
  fixed.writeUInt16BE(REPLICA_VERSION, REPLICA_MAGIC.length);
  fixed.writeUInt32BE(headerBytes.length, REPLICA_MAGIC.length + 2);
  const prefix = Buffer.concat([fixed, headerBytes]);
  const checksum = createHash('sha256').update(prefix).digest();
  const nonce = random(NONCE_BYTES);
  const aad = Buffer.concat([prefix, checksum]);
  const sealed = seal(key, nonce, Buffer.from(JSON.stringify(state), 'utf8'), aad);
  return Buffer.concat([aad, nonce, sealed]);
}

/**
 * Reads the public part: magic, version, header and checksum. Throws ReplicaError('damaged'
 * or 'newer-version'); nothing here needs the key.
 */
export function readReplicaHeader(bytes: Buffer): { header: ReplicaHeader; bodyAt: number } {
  if (bytes.length < FIXED || !bytes.subarray(0, REPLICA_MAGIC.length).equals(REPLICA_MAGIC)) {
    throw new ReplicaError('damaged', 'It is not a Chronokey replica file.');
  }
  const version = bytes.readUInt16BE(REPLICA_MAGIC.length);
  if (version > REPLICA_VERSION) {
    throw new ReplicaError('newer-version', 'A newer version of Chronokey wrote it.');
  }
  if (version !== REPLICA_VERSION) throw new ReplicaError('damaged', 'Its version is not known.');
  const length = bytes.readUInt32BE(REPLICA_MAGIC.length + 2);
  if (length === 0 || length > MAX_REPLICA_HEADER_BYTES) {
    throw new ReplicaError('damaged', 'Its header length is out of bounds.');
  }
  const checksumAt = FIXED + length;
  const bodyAt = checksumAt + CHECKSUM;
  if (bytes.length < bodyAt + NONCE_BYTES + TAG_BYTES) {
    throw new ReplicaError('damaged', 'It is cut short.');
  }
  const digest = createHash('sha256').update(bytes.subarray(0, checksumAt)).digest();
  if (!digest.equals(bytes.subarray(checksumAt, bodyAt))) {
    throw new ReplicaError('damaged', 'Its header does not match its checksum.');
  }
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, checksumAt)),
    );
  } catch {
    throw new ReplicaError('damaged', 'Its header is not readable.');
  }
  const header = ReplicaHeader.safeParse(json);
  if (!header.success) throw new ReplicaError('damaged', 'Its header is not valid.');
  return { header: header.data, bodyAt };
}

/** Decrypts and checks the state. Throws ReplicaError('wrong-key' or 'damaged'). */
export function decodeReplica(
  bytes: Buffer,
  key: Buffer,
): { header: ReplicaHeader; state: ReplicaState } {
  const { header, bodyAt } = readReplicaHeader(bytes);
  const nonce = bytes.subarray(bodyAt, bodyAt + NONCE_BYTES);
  const plain = open(key, nonce, bytes.subarray(bodyAt + NONCE_BYTES), bytes.subarray(0, bodyAt));
  if (!plain) {
    // The checksum held, so the header is intact: the key, the payload or the tag is not.
    throw new ReplicaError(
      'wrong-key',
      'The sync key does not open it (or it was changed).',
      header,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    throw new ReplicaError('damaged', 'Its content is not readable.', header);
  } finally {
    plain.fill(0);
  }
  const state = ReplicaState.safeParse(json);
  if (!state.success || state.data.deviceId !== header.deviceId) {
    throw new ReplicaError('damaged', 'Its content is not a valid replica.', header);
  }
  return { header, state: state.data };
}
