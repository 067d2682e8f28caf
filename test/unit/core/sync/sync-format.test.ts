import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_PASSWORD, TestDevice, removeFolder, secretFor, tempFolder } from './helpers';

/**
 * An independent reader and writer of the sync folder, written from docs/sync-format.md with
 * nothing but node:crypto: if the document and the code disagree, this fails.
 */

interface SyncJson {
  format: string;
  version: number;
  folderId: string;
  keyId: string;
  key: {
    kdf: string;
    n: number;
    r: number;
    p: number;
    salt: string;
    nonce: string;
    wrappedKey: string;
  };
}

function unwrapKey(sync: SyncJson, password: string): Buffer {
  const { n, r, p } = sync.key;
  const kek = scryptSync(
    Buffer.from(password.normalize('NFC'), 'utf8'),
    Buffer.from(sync.key.salt, 'base64'),
    32,
    {
      N: n,
      r,
      p,
      maxmem: 256 * n * r * p + 16 * 1024 * 1024,
    },
  );
  const wrapped = Buffer.from(sync.key.wrappedKey, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sync.key.nonce, 'base64'));
  decipher.setAAD(Buffer.from(`chronokey-sync-key:v1:${sync.folderId}:${sync.keyId}`, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(32));
  return Buffer.concat([decipher.update(wrapped.subarray(0, 32)), decipher.final()]);
}

function readReplica(bytes: Buffer, key: Buffer) {
  expect(bytes.subarray(0, 8).toString('ascii')).toBe('CHRONOKR');
  expect(bytes.readUInt16BE(8)).toBe(1);
  const h = bytes.readUInt32BE(10);
  const header = JSON.parse(bytes.subarray(14, 14 + h).toString('utf8'));
  const checksum = createHash('sha256')
    .update(bytes.subarray(0, 14 + h))
    .digest();
  expect(bytes.subarray(14 + h, 46 + h).equals(checksum)).toBe(true);
  const nonce = bytes.subarray(46 + h, 58 + h);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(bytes.subarray(0, 46 + h));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plain = Buffer.concat([
    decipher.update(bytes.subarray(58 + h, bytes.length - 16)),
    decipher.final(),
  ]);
  return { header, payload: JSON.parse(plain.toString('utf8')) };
}

function writeReplica(header: object, payload: object, key: Buffer): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(14);
  fixed.write('CHRONOKR', 0, 'ascii');
  fixed.writeUInt16BE(1, 8);
  fixed.writeUInt32BE(headerBytes.length, 10);
  const prefix = Buffer.concat([fixed, headerBytes]);
  const aad = Buffer.concat([prefix, createHash('sha256').update(prefix).digest()]);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify(payload), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return Buffer.concat([aad, nonce, sealed]);
}

const stamp = (ms: number, device: string) => `${String(ms).padStart(15, '0')}:000000:${device}`;

describe('the sync folder, read and written from docs/sync-format.md alone', () => {
  let folder: string;
  const time = { now: 1_764_590_400_000 };
  let laptop: TestDevice;

  beforeEach(async () => {
    folder = await tempFolder();
    laptop = new TestDevice('Laptop', time);
    await laptop.setUp(folder);
    await laptop.add('a1');
    await laptop.edit((accounts) => {
      accounts[0]!.tags = ['work'];
      accounts[0]!.note = 'spare codes in the drawer';
    });
    await laptop.pass();
  });
  afterEach(() => removeFolder(folder));

  it('reads sync.json and the replica: every field as documented', async () => {
    const root = join(folder, 'Chronokey Sync');
    expect((await readdir(root)).sort()).toEqual(['devices', 'sync.json']);
    const sync = JSON.parse(await readFile(join(root, 'sync.json'), 'utf8')) as SyncJson;
    expect(sync).toMatchObject({ format: 'chronokey-sync', version: 1, key: { kdf: 'scrypt' } });
    expect(sync.folderId).toMatch(/^[0-9a-f]{32}$/);
    expect(sync.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sync.key.n).toBeGreaterThanOrEqual(2 ** 15);
    const key = unwrapKey(sync, SYNC_PASSWORD);
    expect(key).toHaveLength(32);
    expect(() => unwrapKey(sync, 'a wrong password')).toThrow();

    const deviceId = laptop.vault.current.sync!.deviceId;
    expect(await readdir(join(root, 'devices'))).toEqual([`${deviceId}.ckr`]);
    const { header, payload } = readReplica(
      await readFile(join(root, 'devices', `${deviceId}.ckr`)),
      key,
    );
    expect(header).toEqual({
      folderId: sync.folderId,
      keyId: sync.keyId,
      deviceId,
      deviceName: 'Laptop',
      sequence: 1,
      writtenAt: time.now,
    });
    expect(payload.deviceId).toBe(deviceId);
    const account = payload.accounts.a1;
    expect(account).toEqual({
      otp: { type: 'totp', secret: secretFor('a1'), algorithm: 'SHA1', digits: 6, period: 30 },
      createdAt: 1_700_000_000_000,
      addedBy: deviceId,
      warnings: [],
      counter: 0,
      lastUsedAt: null,
      fields: {
        issuer: { value: 'Issuer a1', stamp: expect.stringMatching(/^\d{15}:\d{6}:[0-9a-f]{32}$/) },
        account: { value: 'a1@example.com', stamp: expect.any(String) },
        tags: { value: ['work'], stamp: expect.any(String) },
        favourite: { value: false, stamp: expect.any(String) },
        note: { value: 'spare codes in the drawer', stamp: expect.any(String) },
        position: { value: 'a0', stamp: expect.any(String) },
      },
      removed: null,
    });
    expect(Number(account.fields.issuer.stamp.slice(0, 15))).toBe(time.now);
    expect(account.fields.issuer.stamp.endsWith(deviceId)).toBe(true);
  });

  it('a replica written from the document merges like any other device', async () => {
    const root = join(folder, 'Chronokey Sync');
    const sync = JSON.parse(await readFile(join(root, 'sync.json'), 'utf8')) as SyncJson;
    const key = unwrapKey(sync, SYNC_PASSWORD);
    const other = 'ab'.repeat(16);
    const at = time.now + 5000;
    const own = readReplica(
      await readFile(join(root, 'devices', `${laptop.vault.current.sync!.deviceId}.ckr`)),
      key,
    ).payload;
    // This device renames a1 (a newer stamp) and adds an HOTP account of its own.
    const renamed = structuredClone(own.accounts.a1);
    renamed.fields.issuer = { value: 'Renamed by hand', stamp: stamp(at, other) };
    const payload = {
      deviceId: other,
      accounts: {
        a1: renamed,
        'b-1': {
          otp: {
            type: 'hotp',
            secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
            algorithm: 'SHA1',
            digits: 6,
            period: 30,
          },
          createdAt: at,
          addedBy: other,
          warnings: [],
          counter: 4,
          lastUsedAt: null,
          fields: {
            issuer: { value: 'Bank', stamp: stamp(at, other) },
            account: { value: 'me', stamp: stamp(at, other) },
            tags: { value: [], stamp: stamp(at, other) },
            favourite: { value: true, stamp: stamp(at, other) },
            note: { value: '', stamp: stamp(at, other) },
            position: { value: 'a1', stamp: stamp(at, other) },
          },
          removed: null,
        },
      },
    };
    const header = {
      folderId: sync.folderId,
      keyId: sync.keyId,
      deviceId: other,
      deviceName: 'Hand-made',
      sequence: 1,
      writtenAt: at,
    };
    await writeFile(join(root, 'devices', `${other}.ckr`), writeReplica(header, payload, key));
    time.now = at + 1000;
    const outcome = await laptop.pass();
    expect(outcome.refused).toEqual([]);
    expect(laptop.accounts.map((a) => [a.id, a.issuer, a.counter, a.favourite])).toEqual([
      ['a1', 'Renamed by hand', 0, false],
      ['b-1', 'Bank', 4, true],
    ]);
    expect(outcome.names[other]).toBe('Hand-made');
  });
});
