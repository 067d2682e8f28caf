import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  Handlers,
  ImportPreview,
  Result,
} from '../../../../shared/contract';
import { ChronokeyError } from '../../../../shared/errors';
import { dispatch } from '../../../../main/core/dispatch';
import { createHandlers } from '../../../../main/core/handlers';
import type { HandlerDeps } from '../../../../main/core/handlers';
import { entryFromFields } from '../../../../main/core/import/entry';
import type { CapturedDisplay, ImportEngines } from '../../../../main/core/import/pipeline';
import type { DecodedSource, ImportFormat } from '../../../../main/core/import/types';
import type { TimerPort } from '../../../../main/core/ports';
import { VaultSession } from '../../../../main/core/session';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';

/**
 * Fakes for the pipeline's engines, so the pipeline is tested on its own: a "fake backup" JSON
 * format (optionally encrypted with a password), a migration reader whose data is base64 JSON,
 * and a QR reader that returns the texts registered for an image's name.
 */
export const FAKE_PASSWORD = 'correct horse';

export const fakeBackupFormat: ImportFormat = {
  id: 'fake',
  label: 'Fake backup',
  detect: (input) => isFake(input.json),
  isEncrypted: (input) => isFake(input.json) && input.json.password !== undefined,
  async decode(input, options) {
    const json = input.json as FakeBackup;
    if (json.password !== undefined) {
      if (options.password === undefined) {
        throw new ChronokeyError('IMPORT_PASSWORD_REQUIRED', `"${input.name}" needs a password.`);
      }
      if (options.password !== json.password) {
        throw new ChronokeyError(
          'IMPORT_WRONG_PASSWORD',
          `The password does not open "${input.name}".`,
        );
      }
    }
    return {
      format: 'fake',
      label: 'Fake backup',
      entries: json.accounts.map((fields) =>
        entryFromFields({ type: 'totp', ...fields }, fields.period === undefined ? ['period'] : []),
      ),
      skipped: (json.unsupported ?? []).map((name) => ({
        name,
        code: 'ALGORITHM_UNSUPPORTED',
        message: 'MD5 is not supported.',
      })),
    };
  },
};

interface FakeBackup {
  fakeBackup: true;
  password?: string;
  accounts: Array<{
    issuer?: string;
    account?: string;
    secret: string;
    period?: number;
    tags?: string[];
  }>;
  unsupported?: string[];
}

function isFake(json: unknown): json is FakeBackup {
  return typeof json === 'object' && json !== null && (json as FakeBackup).fakeBackup === true;
}

export function fakeBackup(backup: Omit<FakeBackup, 'fakeBackup'>): string {
  return JSON.stringify({ fakeBackup: true, ...backup });
}

/** `otpauth-migration://offline?data=` + base64 of { batch, accounts }. */
export function fakeMigrationLink(content: {
  batch?: { id: number; index: number; size: number };
  accounts: Array<{ issuer: string; account: string; secret: string }>;
}): string {
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(JSON.stringify(content)).toString('base64'))}`;
}

function fakeReadMigration(uri: string, sourceName: string): DecodedSource {
  const data = new URLSearchParams(uri.slice(uri.indexOf('?') + 1)).get('data') ?? '';
  let content: Parameters<typeof fakeMigrationLink>[0];
  try {
    content = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new ChronokeyError(
      'MIGRATION_INVALID',
      `"${sourceName}" is not a readable Google Authenticator export: its data is not a valid payload.`,
    );
  }
  return {
    format: 'google-migration',
    label: 'Google Authenticator export',
    entries: content.accounts.map((fields) =>
      entryFromFields({ type: 'totp', ...fields }, ['period']),
    ),
    skipped: [],
    ...(content.batch && { batch: content.batch }),
  };
}

export function fakeEngines(qr: Record<string, string[]> = {}): ImportEngines {
  return {
    formats: [fakeBackupFormat],
    readMigration: fakeReadMigration,
    readQrCodes: async ({ name }) => {
      const texts = qr[name];
      if (texts === undefined) throw new Error(`no QR texts registered for ${name}`);
      return { texts, limitReached: false };
    },
    readQrCodesFromRgba: async (display: CapturedDisplay) => ({
      texts: qr[display.name] ?? [],
      limitReached: false,
    }),
  };
}

/** A small real PNG (sharp must read its header for the size bound). */
export async function smallPng(): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .png()
      .toBuffer(),
  );
}

/** A real small PNG whose header claims width × height pixels (the pixel data is not there). */
export async function pngClaiming(width: number, height: number): Promise<Uint8Array> {
  const png = Buffer.from(await smallPng());
  // IHDR's data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows at 29.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return new Uint8Array(png);
}

/** A clock and timers moved by hand. */
export function manualTime(start = 1_700_000_000_000) {
  let now = start;
  const pending: Array<{ at: number; run(): void; cancelled: boolean }> = [];
  const timers: TimerPort = {
    setTimeout(callback, ms) {
      const timer = { at: now + ms, run: callback, cancelled: false };
      pending.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
  };
  return {
    clock: { now: () => now },
    timers,
    advance(ms: number) {
      now += ms;
      for (const timer of pending.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.run();
      }
    },
  };
}

/** A real vault (memory keychain) in a temp folder, served through the contract. */
export async function importRig(
  extra: Partial<HandlerDeps> & { qr?: Record<string, string[]> } = {},
) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-import-'));
  const time = manualTime();
  const session = new VaultSession({ dir, keychain: createMemoryKeychain() }, time.clock);
  const events: Array<{ name: EventName; payload: unknown }> = [];
  const { qr, ...deps } = extra;
  const handlers: Handlers = createHandlers({
    session,
    clock: time.clock,
    timers: time.timers,
    importEngines: fakeEngines(qr),
    events: { emit: (name, payload) => void events.push({ name, payload }) },
    ...deps,
  });
  async function call<C extends Channel>(
    channel: C,
    input?: ChannelInput<C>,
  ): Promise<Result<ChannelOutput<C>>> {
    return (await dispatch(handlers, channel, input)) as Result<ChannelOutput<C>>;
  }
  async function value<C extends Channel>(
    channel: C,
    input?: ChannelInput<C>,
  ): Promise<ChannelOutput<C>> {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  await value('vault.create', { useKeychain: true });
  return {
    dir,
    time,
    session,
    events,
    call,
    value,
    vaultBytes: () => readFileSync(path.join(dir, 'vault.ckv')),
    addText: (text: string, previewId?: string): Promise<ImportPreview> =>
      value('import.addText', { text, ...(previewId !== undefined && { previewId }) }),
    addFiles: (
      files: Array<{ name: string; bytes: Uint8Array | string }>,
      previewId?: string,
    ): Promise<ImportPreview> =>
      value('import.addFiles', {
        files: files.map((file) => ({
          name: file.name,
          base64: Buffer.from(file.bytes).toString('base64'),
        })),
        ...(previewId !== undefined && { previewId }),
      }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
