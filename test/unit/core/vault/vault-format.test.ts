import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault, inspectVault, openVault } from '../../../../main/core/vault/vault';
import { contentWith, removeRoot, tempRoot } from './helpers/fixtures';
import { memoryDeps } from './helpers/deps';

/**
 * An independent reader and writer written from docs/vault-format.md alone, with nothing but
 * node:crypto: if the document and the code disagree, these tests fail.
 */

interface Slot {
  type: string;
  nonce: string;
  wrappedKey: string;
  salt?: string;
  n?: number;
  r?: number;
  p?: number;
}

function gcmDecrypt(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

function gcmEncrypt(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function slotAad(type: string, vaultId: string): Buffer {
  return Buffer.from(`chronokey-vault-slot:v1:${type}:${vaultId}`, 'utf8');
}

function independentDecrypt(
  file: Buffer,
  unlock: { keychainValue: string } | { password: string },
): unknown {
  expect(file.subarray(0, 8).toString('ascii')).toBe('CHRONOKV');
  expect(file.readUInt16BE(8)).toBe(2);
  const h = file.readUInt32BE(10);
  const header = JSON.parse(file.subarray(14, 14 + h).toString('utf8')) as {
    vaultId: string;
    slots: Slot[];
  };
  const checksum = createHash('sha256')
    .update(file.subarray(0, 14 + h))
    .digest();
  expect(file.subarray(14 + h, 46 + h)).toEqual(checksum);
  const prefix = file.subarray(0, 46 + h);
  const nonce = file.subarray(46 + h, 58 + h);
  const sealed = file.subarray(58 + h);

  let wrappingKey: Buffer;
  let slot: Slot | undefined;
  if ('keychainValue' in unlock) {
    slot = header.slots.find((s) => s.type === 'keychain');
    wrappingKey = Buffer.from(unlock.keychainValue, 'base64');
  } else {
    slot = header.slots.find((s) => s.type === 'password');
    if (!slot?.salt || !slot.n || !slot.r || !slot.p) throw new Error('no password slot');
    wrappingKey = scryptSync(
      Buffer.from(unlock.password.normalize('NFC')),
      Buffer.from(slot.salt, 'base64'),
      32,
      {
        N: slot.n,
        r: slot.r,
        p: slot.p,
        maxmem: 256 * 1024 * 1024,
      },
    );
  }
  if (!slot) throw new Error('slot missing');
  const dataKey = gcmDecrypt(
    wrappingKey,
    Buffer.from(slot.nonce, 'base64'),
    Buffer.from(slot.wrappedKey, 'base64'),
    slotAad(slot.type, header.vaultId),
  );
  expect(dataKey).toHaveLength(32);
  return JSON.parse(gcmDecrypt(dataKey, nonce, sealed, prefix).toString('utf8'));
}

function independentEncrypt(content: unknown, password: string, version = 2): Buffer {
  const dataKey = randomBytes(32);
  const vaultId = randomBytes(16).toString('hex');
  const salt = randomBytes(16);
  const slotNonce = randomBytes(12);
  const wrappingKey = scryptSync(Buffer.from(password.normalize('NFC')), salt, 32, {
    N: 32768,
    r: 8,
    p: 1,
    maxmem: 256 * 1024 * 1024,
  });
  const header = {
    vaultId,
    createdAt: 1_732_752_000_000,
    ...(version >= 2 && { generation: 7 }),
    slots: [
      {
        type: 'password',
        kdf: 'scrypt',
        n: 32768,
        r: 8,
        p: 1,
        salt: salt.toString('base64'),
        nonce: slotNonce.toString('base64'),
        wrappedKey: gcmEncrypt(
          wrappingKey,
          slotNonce,
          dataKey,
          slotAad('password', vaultId),
        ).toString('base64'),
      },
    ],
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(14);
  fixed.write('CHRONOKV', 0, 'ascii');
  fixed.writeUInt16BE(version, 8);
  fixed.writeUInt32BE(json.length, 10);
  const checksum = createHash('sha256').update(fixed).update(json).digest();
  const prefix = Buffer.concat([fixed, json, checksum]);
  const nonce = randomBytes(12);
  const sealed = gcmEncrypt(dataKey, nonce, Buffer.from(JSON.stringify(content)), prefix);
  return Buffer.concat([prefix, nonce, sealed]);
}

let root: string;
beforeEach(async () => {
  root = await tempRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

describe('docs/vault-format.md', () => {
  it('is enough to decrypt a vault through its keychain slot and its password slot', async () => {
    const { deps, keychain, dir } = memoryDeps(root);
    const content = contentWith(3);
    await createVault(deps, { useKeychain: true, password: 'Ünïcode pässword', content });
    const { vaultId } = await inspectVault(deps);
    const keychainValue = keychain.entries.get(`vault:${vaultId}`);
    expect(keychainValue).toBeDefined();
    const file = await readFile(join(dir, 'vault.ckv'));
    expect(independentDecrypt(file, { keychainValue: keychainValue ?? '' })).toEqual(content);
    expect(independentDecrypt(file, { password: 'Ünïcode pässword' })).toEqual(content);
  });

  it('is enough to write a vault Chronokey opens', async () => {
    const { deps, dir } = memoryDeps(root);
    const content = contentWith(2);
    await mkdir(dir);
    await writeFile(join(dir, 'vault.ckv'), independentEncrypt(content, 'pw'));
    expect((await openVault(deps, { password: 'pw' })).content).toEqual(content);
  });

  it('still reads a version 1 vault (no generation), and writes version 2 from then on', async () => {
    const { deps, dir } = memoryDeps(root);
    const content = contentWith(1);
    await mkdir(dir);
    await writeFile(join(dir, 'vault.ckv'), independentEncrypt(content, 'pw', 1));
    const vault = await openVault(deps, { password: 'pw' });
    expect(vault.content).toEqual(content);
    await vault.update((draft) => void (draft.settings.theme = 'dark'));
    const file = await readFile(join(dir, 'vault.ckv'));
    expect(file.readUInt16BE(8)).toBe(2);
    const header = JSON.parse(file.subarray(14, 14 + file.readUInt32BE(10)).toString()) as {
      generation: number;
    };
    expect(header.generation).toBe(1);
  });
});
