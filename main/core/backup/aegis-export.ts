import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Account } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, open, seal } from '../vault/aead';
import { deriveKeyFromPassword, type RandomBytes } from '../vault/key-slots';
import { SCRYPT_MIN } from '../vault/vault-file';

/**
 * An Aegis-compatible encrypted vault, written from Aegis's own description of its format
 * (docs/vault.md in beemdevelopment/Aegis): a JSON file whose `db` is the base64 AES-256-GCM
 * ciphertext of the entries, under a random master key wrapped by one password slot
 * (scrypt N=2^15 r=8 p=1, 32-byte salt; nonces, tags, keys and salt in hex). No associated data.
 * Tags become Aegis groups.
 */

export interface AegisInfo {
  secret: string;
  algo: string;
  digits: number;
  period?: number;
  counter?: number;
}

export interface AegisEntry {
  type: string;
  uuid: string;
  name: string;
  issuer: string;
  note: string;
  favorite: boolean;
  icon: null;
  icon_mime: null;
  icon_hash: null;
  info: AegisInfo;
  groups: string[];
}

export interface AegisDb {
  version: 3;
  entries: AegisEntry[];
  groups: Array<{ uuid: string; name: string }>;
}

const AEGIS_SALT_BYTES = 32;

/** The accounts as Aegis's vault content (version 3): entries and the groups their tags name. */
export function aegisDb(accounts: readonly Account[]): AegisDb {
  const groups = new Map<string, string>();
  for (const account of accounts) {
    for (const tag of account.tags) if (!groups.has(tag)) groups.set(tag, randomUUID());
  }
  return {
    version: 3,
    entries: aegisEntries(accounts, groups),
    groups: [...groups].map(([name, uuid]) => ({ uuid, name })),
  };
}

export function aegisEntries(
  accounts: readonly Account[],
  groups: ReadonlyMap<string, string> = new Map(),
): AegisEntry[] {
  return accounts.map((account) => ({
    type: account.type,
    uuid: randomUUID(),
    name: account.account,
    issuer: account.issuer,
    note: '',
    favorite: account.favourite,
    icon: null,
    icon_mime: null,
    icon_hash: null,
    info: {
      secret: account.secret,
      algo: account.algorithm,
      digits: account.digits,
      ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
    },
    groups: account.tags.flatMap((tag) => {
      const uuid = groups.get(tag);
      return uuid === undefined ? [] : [uuid];
    }),
  }));
}

/** A hash of what matters in entries (not their random uuids), to compare a file read back. */
export function aegisEntriesHash(entries: readonly AegisEntry[]): string {
  const rows = entries.map((e) => [
    e.type,
    e.name,
    e.issuer,
    e.favorite,
    e.info.secret,
    e.info.algo,
    e.info.digits,
    e.info.period ?? null,
    e.info.counter ?? null,
  ]);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

export async function encryptAegisVault(
  accounts: readonly Account[],
  password: string,
  options: { random?: RandomBytes } = {},
): Promise<Buffer> {
  const random = options.random ?? randomBytes;
  const masterKey = random(KEY_BYTES);
  try {
    const salt = random(AEGIS_SALT_BYTES);
    const slotKey = await deriveKeyFromPassword(password, salt, SCRYPT_MIN);
    const slotNonce = random(NONCE_BYTES);
    const wrapped = seal(slotKey, slotNonce, masterKey, Buffer.alloc(0));
    slotKey.fill(0);
    const dbNonce = random(NONCE_BYTES);
    const sealed = seal(
      masterKey,
      dbNonce,
      Buffer.from(JSON.stringify(aegisDb(accounts)), 'utf8'),
      Buffer.alloc(0),
    );
    const vault = {
      version: 1,
      header: {
        slots: [
          {
            type: 1,
            uuid: randomUUID(),
            key: wrapped.subarray(0, KEY_BYTES).toString('hex'),
            key_params: {
              nonce: slotNonce.toString('hex'),
              tag: wrapped.subarray(KEY_BYTES).toString('hex'),
            },
            n: SCRYPT_MIN.n,
            r: SCRYPT_MIN.r,
            p: SCRYPT_MIN.p,
            salt: salt.toString('hex'),
            repaired: true,
            is_backup: false,
          },
        ],
        params: {
          nonce: dbNonce.toString('hex'),
          tag: sealed.subarray(sealed.length - TAG_BYTES).toString('hex'),
        },
      },
      db: sealed.subarray(0, sealed.length - TAG_BYTES).toString('base64'),
    };
    return Buffer.from(`${JSON.stringify(vault, null, 4)}\n`, 'utf8');
  } finally {
    masterKey.fill(0);
  }
}

/**
 * Opens an Aegis vault Chronokey wrote, to verify the file on disk. (Importing other people's
 * Aegis vaults is the import pipeline's Aegis format; this reads only what is needed to check.)
 */
export async function decryptAegisVault(
  bytes: Uint8Array,
  password: string,
  name: string,
): Promise<AegisEntry[]> {
  const bad = (what: string) =>
    new ChronokeyError('AEGIS_EXPORT_UNREADABLE', `"${name}" could not be read back: ${what}.`);
  let vault: {
    header?: {
      slots?: Array<Record<string, unknown>>;
      params?: { nonce?: string; tag?: string };
    };
    db?: unknown;
  };
  try {
    vault = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof vault;
  } catch {
    throw bad('it is not JSON');
  }
  const slots = vault.header?.slots ?? [];
  let masterKey: Buffer | null = null;
  for (const slot of slots) {
    if (slot.type !== 1) continue;
    const params = slot.key_params as { nonce: string; tag: string };
    const key = await deriveKeyFromPassword(password, Buffer.from(String(slot.salt), 'hex'), {
      n: Number(slot.n),
      r: Number(slot.r),
      p: Number(slot.p),
    });
    masterKey = open(
      key,
      Buffer.from(params.nonce, 'hex'),
      Buffer.concat([Buffer.from(String(slot.key), 'hex'), Buffer.from(params.tag, 'hex')]),
      Buffer.alloc(0),
    );
    key.fill(0);
    if (masterKey) break;
  }
  if (!masterKey) throw bad('the password does not open its password slot');
  const params = vault.header?.params;
  const plain = open(
    masterKey,
    Buffer.from(params?.nonce ?? '', 'hex'),
    Buffer.concat([
      Buffer.from(typeof vault.db === 'string' ? vault.db : '', 'base64'),
      Buffer.from(params?.tag ?? '', 'hex'),
    ]),
    Buffer.alloc(0),
  );
  masterKey.fill(0);
  if (!plain) throw bad('its content does not decrypt');
  const db = JSON.parse(plain.toString('utf8')) as { entries?: unknown };
  if (!Array.isArray(db.entries)) throw bad('it has no entries');
  return db.entries as AegisEntry[];
}
