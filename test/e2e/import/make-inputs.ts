import { createCipheriv, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import protobuf from 'protobufjs';
import QRCode from 'qrcode';
import sharp from 'sharp';
import type { SeedAccount } from '../bridge/seed';
import { base32Encode } from '../bridge/seed';

/**
 * Inputs for the import tests, made here from the formats' public descriptions rather than
 * taken from anywhere: QR code pictures (the qrcode package, composed into screenshot-like
 * pictures with sharp), Google Authenticator migration links (protobufjs with the published
 * MigrationPayload schema) and encrypted Aegis vaults (node:crypto, per Aegis's docs/vault.md).
 */

/** A picture of one QR code: dark modules on white, or light on dark ("dark mode"). */
export async function qrPng(text: string, options: { dark?: boolean; scale?: number } = {}) {
  const colours = options.dark
    ? { dark: '#e8eaedff', light: '#202124ff' }
    : { dark: '#000000ff', light: '#ffffffff' };
  return QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: options.scale ?? 6,
    color: colours,
  });
}

/** A screenshot-like picture: a window with a toolbar and text lines, and the QR code on a card. */
export async function screenshotWithQr(text: string, width = 1280, height = 800) {
  const qr = await qrPng(text, { scale: 5 });
  const bar = { input: await solid(width, 48, '#2d2f36'), top: 0, left: 0 };
  const lines = await Promise.all(
    Array.from({ length: 6 }, async (_, index) => ({
      input: await solid(420 - index * 30, 12, '#c9ced6'),
      top: 120 + index * 32,
      left: 80,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: '#f5f6f8' } })
    .composite([bar, ...lines, { input: qr, top: 160, left: 720 }])
    .png()
    .toBuffer();
}

function solid(width: number, height: number, colour: string) {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

// Google Authenticator's export, as published by the apps that import it.
const MIGRATION_PROTO = `
syntax = "proto3";
message MigrationPayload {
  enum Algorithm { ALGORITHM_UNSPECIFIED = 0; SHA1 = 1; SHA256 = 2; SHA512 = 3; MD5 = 4; }
  enum DigitCount { DIGIT_COUNT_UNSPECIFIED = 0; SIX = 1; EIGHT = 2; }
  enum OtpType { OTP_TYPE_UNSPECIFIED = 0; HOTP = 1; TOTP = 2; }
  message OtpParameters {
    bytes secret = 1;
    string name = 2;
    string issuer = 3;
    Algorithm algorithm = 4;
    DigitCount digits = 5;
    OtpType type = 6;
    int64 counter = 7;
  }
  repeated OtpParameters otp_parameters = 1;
  int32 version = 2;
  int32 batch_size = 3;
  int32 batch_index = 4;
  int32 batch_id = 5;
}`;
const Payload = protobuf
  .parse(MIGRATION_PROTO, { keepCase: true })
  .root.lookupType('MigrationPayload');

/** One QR code's link of a Google Authenticator export split over `size` codes. */
export function migrationLink(
  accounts: Array<{
    secret: Uint8Array;
    name: string;
    issuer: string;
    type: 'totp' | 'hotp';
    counter?: number;
  }>,
  batch: { index: number; size: number; id: number },
): string {
  const message = Payload.fromObject({
    otp_parameters: accounts.map((account) => ({
      secret: account.secret,
      name: account.name,
      issuer: account.issuer,
      algorithm: 1,
      digits: 1,
      type: account.type === 'hotp' ? 1 : 2,
      counter: account.counter ?? 0,
    })),
    version: 1,
    batch_size: batch.size,
    batch_index: batch.index,
    batch_id: batch.id,
  });
  const data = Buffer.from(Payload.encode(message).finish()).toString('base64');
  return `otpauth-migration://offline?data=${encodeURIComponent(data)}`;
}

export const secretOf = (bytes: Uint8Array): string => base32Encode(bytes);

/**
 * An encrypted Aegis vault: a random master key encrypts the database (AES-256-GCM); a password
 * slot wraps the master key with a key derived by scrypt (N=2^15, r=8, p=1) and AES-256-GCM.
 */
export function encryptedAegisVault(password: string, accounts: SeedAccount[]): string {
  const masterKey = randomBytes(32);
  const salt = randomBytes(32);
  const n = 2 ** 15;
  const derived = scryptSync(password.normalize('NFKC'), salt, 32, {
    N: n,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  });
  const slot = gcm(derived, masterKey);
  const db = {
    version: 2,
    entries: accounts.map((account) => ({
      type: account.type,
      uuid: randomUUID(),
      name: account.account,
      issuer: account.issuer,
      note: '',
      favorite: false,
      icon: null,
      info: {
        secret: account.secret,
        algo: account.algorithm,
        digits: account.digits,
        period: account.period,
      },
    })),
    groups: [],
  };
  const body = gcm(masterKey, Buffer.from(JSON.stringify(db), 'utf8'));
  return JSON.stringify({
    version: 1,
    header: {
      slots: [
        {
          type: 1,
          uuid: randomUUID(),
          key: slot.ciphertext.toString('hex'),
          key_params: { nonce: slot.nonce.toString('hex'), tag: slot.tag.toString('hex') },
          n,
          r: 8,
          p: 1,
          salt: salt.toString('hex'),
          repaired: true,
        },
      ],
      params: { nonce: body.nonce.toString('hex'), tag: body.tag.toString('hex') },
    },
    db: body.ciphertext.toString('base64'),
  });
}

function gcm(key: Buffer, plaintext: Buffer) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}
