import { scrypt } from 'node:crypto';
import { KEY_BYTES, NONCE_BYTES, open, seal } from './aead';
import { SCRYPT_MIN, type KeychainSlot, type PasswordSlot, type SlotType } from './vault-file';

/**
 * Key slots: each wraps the vault's data key under another key with AES-256-GCM. Adding a slot
 * wraps the same data key; changing or removing the password and turning the keychain off
 * replace the data key (unlocked-vault.ts), so an old copy of the file and an old password or
 * keychain secret never open what was written after.
 */

export type RandomBytes = (size: number) => Buffer;

export const SALT_BYTES = 16;
export const DEFAULT_SCRYPT = SCRYPT_MIN;

/** The keychain account holding a vault's wrapping key; the random id keeps vaults apart. */
export function keychainAccount(vaultId: string): string {
  return `vault:${vaultId}`;
}

/** Binds a wrapped key to its slot type and vault, so slots cannot be moved between them. */
function slotAad(type: SlotType, vaultId: string): Buffer {
  return Buffer.from(`chronokey-vault-slot:v1:${type}:${vaultId}`, 'utf8');
}

export function createKeychainSlot(
  dataKey: Buffer,
  vaultId: string,
  random: RandomBytes,
): { slot: KeychainSlot; secret: string } {
  const wrappingKey = random(KEY_BYTES);
  const secret = wrappingKey.toString('base64');
  wrappingKey.fill(0);
  return { slot: wrapWithKeychainSecret(dataKey, vaultId, secret, random), secret };
}

/**
 * A keychain slot for `dataKey` under the wrapping key already in the keychain: used when the
 * data key is replaced, so the keychain entry never has to change (no moment where the entry
 * and the file disagree).
 */
export function wrapWithKeychainSecret(
  dataKey: Buffer,
  vaultId: string,
  secret: string,
  random: RandomBytes,
): KeychainSlot {
  const wrappingKey = Buffer.from(secret, 'base64');
  const nonce = random(NONCE_BYTES);
  const wrapped = seal(wrappingKey, nonce, dataKey, slotAad('keychain', vaultId));
  wrappingKey.fill(0);
  return {
    type: 'keychain',
    nonce: nonce.toString('base64'),
    wrappedKey: wrapped.toString('base64'),
  };
}

/** Returns the data key, or null when the keychain secret does not open this slot. */
export function unwrapKeychainSlot(
  slot: KeychainSlot,
  vaultId: string,
  secret: string,
): Buffer | null {
  const wrappingKey = Buffer.from(secret, 'base64');
  if (wrappingKey.length !== KEY_BYTES) return null;
  const dataKey = open(
    wrappingKey,
    Buffer.from(slot.nonce, 'base64'),
    Buffer.from(slot.wrappedKey, 'base64'),
    slotAad('keychain', vaultId),
  );
  wrappingKey.fill(0);
  return dataKey && dataKey.length === KEY_BYTES ? dataKey : null;
}

/**
 * scrypt through the async API, so the event loop (the UI's IPC, the code timer) keeps running
 * while it works. NFC normalisation makes a password typed on different keyboards or systems
 * produce the same bytes.
 */
export function deriveKeyFromPassword(
  password: string,
  salt: Buffer,
  params: { n: number; r: number; p: number },
): Promise<Buffer> {
  // scrypt needs 128·N·r·p bytes (plus a little); Node's default cap of 32 MiB is too tight.
  const maxmem = 128 * params.n * params.r * params.p * 2 + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(password.normalize('NFC'), 'utf8'),
      salt,
      KEY_BYTES,
      { N: params.n, r: params.r, p: params.p, maxmem },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function createPasswordSlot(
  dataKey: Buffer,
  vaultId: string,
  password: string,
  random: RandomBytes,
): Promise<PasswordSlot> {
  const params = DEFAULT_SCRYPT;
  const salt = random(SALT_BYTES);
  const nonce = random(NONCE_BYTES);
  const wrappingKey = await deriveKeyFromPassword(password, salt, params);
  const wrapped = seal(wrappingKey, nonce, dataKey, slotAad('password', vaultId));
  wrappingKey.fill(0);
  return {
    type: 'password',
    kdf: 'scrypt',
    n: params.n,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64'),
    nonce: nonce.toString('base64'),
    wrappedKey: wrapped.toString('base64'),
  };
}

/** Returns the data key, or null when the password does not open this slot. */
export async function unwrapPasswordSlot(
  slot: PasswordSlot,
  vaultId: string,
  password: string,
): Promise<Buffer | null> {
  const wrappingKey = await deriveKeyFromPassword(password, Buffer.from(slot.salt, 'base64'), slot);
  const dataKey = open(
    wrappingKey,
    Buffer.from(slot.nonce, 'base64'),
    Buffer.from(slot.wrappedKey, 'base64'),
    slotAad('password', vaultId),
  );
  wrappingKey.fill(0);
  return dataKey && dataKey.length === KEY_BYTES ? dataKey : null;
}
