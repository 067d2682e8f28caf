import { timingSafeEqual, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../../shared/domain';
import { ChronokeyError } from '../../../shared/errors';
import { newAccount } from '../../../main/core/accounts';
import type { PowerEvent } from '../../../main/core/auto-lock';
import { startAutoLock } from '../../../main/core/auto-lock';
import { dispatch } from '../../../main/core/dispatch';
import { createHandlers } from '../../../main/core/handlers';
import { parseOtpauthUri } from '../../../main/core/otp/otpauth-uri';
import { VaultSession } from '../../../main/core/session';
import { CONTENT_SECURITY_POLICY } from '../../../main/shell/csp';
import type { KeychainPort } from '../../../main/core/vault';
import { createKeytarKeychain, destroyKeychainEntry, openVault } from '../../../main/core/vault';
import type { Handlers } from '../../../shared/contract';
import {
  TestConfirm,
  TestFolderDialog,
  TestSaveDialog,
  TestScreenProtection,
} from './backup-ports';
import { buildClientBundle } from './client-bundle';
import type { SeedAccount } from './seed';
import { otpauthUri, seedAccount } from './seed';
import type { PickedFile } from './test-ports';
import { ManualClock, RecordingClipboard, TestFileDialog, TestScreen } from './test-ports';

/**
 * The test bridge: serves the app's own handler table (real core, real vault files, real
 * keychain) over loopback HTTP to the built renderer running in Chromium, so the browser tests
 * exercise everything but Electron itself. Test-only: it lives under test/ and never ships.
 */

export const TOKEN_HEADER = 'x-chronokey-bridge-token';

/** 2021-01-01T00:00:05Z: five seconds into a 30-second period, so codes hold still for a while. */
export const DEFAULT_TEST_TIME = Date.UTC(2021, 0, 1, 0, 0, 5);

export interface ResetOptions {
  /** Clock start (unix ms); the clock only moves when the test moves it. */
  time?: number;
  /** Make the keychain look absent (as on a Linux box without a Secret Service). */
  keychainAvailable?: boolean;
  /** null: no vault yet (first run). Otherwise a vault is created with these slots. */
  vault?: { useKeychain: boolean; password?: string; locked?: boolean } | null;
  accounts?: SeedAccount[];
  /** Adds this many generated accounts (seedAccount(0..n-1)) in one write. */
  accountCount?: number;
  settings?: Partial<Settings>;
}

interface World {
  dir: string;
  clock: ManualClock;
  clipboard: RecordingClipboard;
  /** What the user picks in the open-file dialog and what the displays show (import). */
  fileDialog: TestFileDialog;
  screen: TestScreen;
  /** Where the user saves exports and keeps automatic backups; capture protection (backup). */
  saveDialog: TestSaveDialog;
  folderDialog: TestFolderDialog;
  confirm: TestConfirm;
  protection: TestScreenProtection;
  keychain: KeychainPort;
  session: VaultSession;
  handlers: Handlers;
  calls: Array<{ channel: string; ok: boolean; at: number }>;
  /** The system's idle time as the auto-lock sees it; set by the test. */
  idleSeconds: number;
  powerListeners: Set<(event: PowerEvent) => void>;
  autoLock: { check(): Promise<void>; stop(): void };
}

export interface Bridge {
  url: string;
  token: string;
  close(): Promise<void>;
}

export interface BridgeOptions {
  rendererDir: string;
  port?: number;
  /** Keychain entries are namespaced so test runs never touch a user's own Chronokey entry. */
  keychainService?: string;
}

/** A keychain that can be made to look absent; otherwise the real one. */
function switchableKeychain(real: KeychainPort, available: boolean): KeychainPort {
  const absent = (): never => {
    throw new ChronokeyError('KEYCHAIN_UNAVAILABLE', 'No system keychain could be reached.');
  };
  if (available) return real;
  return {
    isAvailable: async () => false,
    get: async () => absent(),
    set: async () => absent(),
    delete: async () => absent(),
  };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  response.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** Lets timer callbacks that just fired finish their async work (the clipboard port is async). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(24).toString('hex');
  const tokenBytes = Buffer.from(token);
  const csp = CONTENT_SECURITY_POLICY;
  const clientBundle = await buildClientBundle(token, TOKEN_HEADER);
  const realKeychain = createKeytarKeychain(options.keychainService ?? 'Chronokey-e2e');
  // Serve a copy taken now, so a rebuild of dist/ during the run cannot pull files away.
  const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'chronokey-e2e-renderer-'));
  await cp(path.resolve(options.rendererDir), rendererDir, { recursive: true }).catch(() => {
    console.error(`bridge: no built renderer in ${options.rendererDir}; run npm run build`);
  });
  const eventStreams = new Set<ServerResponse>();
  let world: World | null = null;

  async function disposeWorld(): Promise<void> {
    if (!world) return;
    const old = world;
    world = null;
    old.autoLock.stop();
    old.session.lock();
    await destroyKeychainEntry({ dir: old.dir, keychain: realKeychain }).catch(() => false);
    await rm(old.dir, { recursive: true, force: true });
  }

  async function reset(resetOptions: ResetOptions): Promise<unknown> {
    await disposeWorld();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chronokey-e2e-'));
    const clock = new ManualClock(resetOptions.time ?? DEFAULT_TEST_TIME);
    const clipboard = new RecordingClipboard(clock);
    const keychain = switchableKeychain(realKeychain, resetOptions.keychainAvailable ?? true);
    const session = new VaultSession({ dir, keychain, now: () => clock.now() }, clock);
    const fileDialog = new TestFileDialog();
    const screen = new TestScreen();
    const saveDialog = new TestSaveDialog();
    const folderDialog = new TestFolderDialog();
    const confirm = new TestConfirm();
    const protection = new TestScreenProtection();
    const handlers = createHandlers({
      session,
      clock,
      clipboard,
      timers: clock.timers,
      dialog: fileDialog,
      screen,
      events: { emit: (name, payload) => void emit(name, payload) },
      saveDialog,
      folderDialog,
      confirm,
      // The bridge plays a system that can keep the window out of screen captures.
      system: { protectScreen: (enabled) => protection.set(enabled) },
      // Automatic backups on the test clock (debounce and daily timers fire when it moves).
      autoBackup: {},
      // Sync through a real folder with real watching; its debounce and interval on the test clock.
      sync: {},
      // Followed backup folders, watched for real; retries and interval on the test clock.
      follow: {},
    });
    const powerListeners = new Set<(event: PowerEvent) => void>();
    const created: World = {
      dir,
      clock,
      clipboard,
      fileDialog,
      screen,
      saveDialog,
      folderDialog,
      confirm,
      protection,
      keychain,
      session,
      handlers,
      calls: [],
      idleSeconds: 0,
      powerListeners,
      // Wired exactly as main/index.ts wires it, with the system's idle time and power events
      // played by the test and its idle poll on the test's clock.
      autoLock: startAutoLock({
        idleSeconds: () => created.idleSeconds,
        onPowerEvent(listener) {
          powerListeners.add(listener);
          return () => powerListeners.delete(listener);
        },
        isUnlocked: () => session.isUnlocked,
        autoLockMinutes: async () => session.vault().content.settings.autoLockMinutes,
        lock: async (reason) => {
          if (!session.isUnlocked) return;
          await handlers['vault.lock']();
          emit('vault.locked', { reason });
        },
        intervals: clock.intervals,
        onError: (error) => console.error('bridge: auto-lock failed', error),
      }),
    };
    world = created;

    const vault = resetOptions.vault;
    if (vault) {
      await session.create({ useKeychain: vault.useKeychain, password: vault.password });
      const seeds = [
        ...(resetOptions.accounts ?? []),
        ...Array.from({ length: resetOptions.accountCount ?? 0 }, (_, i) => seedAccount(i)),
      ];
      const now = clock.now();
      await session.update((draft) => {
        for (const seed of seeds) {
          const account = newAccount(parseOtpauthUri(otpauthUri(seed)), now);
          account.tags = seed.tags;
          account.favourite = seed.favourite;
          draft.accounts.push(account);
        }
        draft.settings = { ...draft.settings, ...resetOptions.settings };
      });
      if (vault.locked) session.lock();
    }
    return session.status();
  }

  function requireWorld(): World {
    if (!world) throw new Error('call /__test/reset first');
    return world;
  }

  function authorised(request: IncomingMessage, url: URL): boolean {
    const given = request.headers[TOKEN_HEADER] ?? url.searchParams.get('token') ?? '';
    const bytes = Buffer.from(String(given));
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  }

  function emit(event: string, payload: unknown): number {
    const frame = `event: message\ndata: ${JSON.stringify({ event, payload })}\n\n`;
    for (const stream of eventStreams) stream.write(frame);
    return eventStreams.size;
  }

  async function testApi(route: string, body: Record<string, unknown>): Promise<unknown> {
    switch (route) {
      case 'reset':
        return reset(body as ResetOptions);
      case 'clock':
        return {
          now: requireWorld().clock.now(),
          pendingTimers: requireWorld().clock.pendingTimers(),
        };
      case 'clock/set':
        requireWorld().clock.set(Number(body.time));
        await settle();
        return { now: requireWorld().clock.now() };
      case 'clock/advance':
        requireWorld().clock.advance(Number(body.ms));
        await settle();
        return { now: requireWorld().clock.now() };
      case 'clipboard': {
        const { clipboard } = requireWorld();
        return { text: clipboard.text, events: clipboard.events };
      }
      case 'clipboard/user-copies':
        requireWorld().clipboard.userCopies(String(body.text));
        return {};
      case 'calls':
        return requireWorld().calls;
      case 'dialog/save-to':
        requireWorld().saveDialog.willSaveTo(body.path === null ? null : String(body.path));
        return {};
      case 'dialog/choose-folder':
        requireWorld().folderDialog.willChoose(body.path === null ? null : String(body.path));
        return {};
      case 'dialog/confirm':
        requireWorld().confirm.answer = body.answer !== false;
        return {};
      case 'backup/ports': {
        const { saveDialog: save, folderDialog: folder, protection: shield } = requireWorld();
        return {
          confirmsAsked: requireWorld().confirm.asked,
          saveShown: save.shown,
          defaultName: save.lastDefaultName,
          folderShown: folder.shown,
          protected: shield.enabled,
          protectionChanges: shield.changes,
        };
      }
      case 'dialog/pick':
        requireWorld().fileDialog.willPick((body.files ?? null) as PickedFile[] | null);
        return {};
      case 'screen/show':
        requireWorld().screen.show((body.images ?? []) as PickedFile[]);
        return {};
      case 'import/ports': {
        const current = requireWorld();
        return { dialogShown: current.fileDialog.shown, captures: current.screen.captures };
      }
      case 'vault': {
        // Read the file independently of the session, as a second process would.
        const { dir, keychain } = requireWorld();
        const password = typeof body.password === 'string' ? { password: body.password } : {};
        const opened = await openVault({ dir, keychain }, password);
        const content = opened.content;
        opened.close();
        return content;
      }
      case 'emit':
        return { listeners: emit(String(body.event), body.payload) };
      case 'listeners':
        return { listeners: eventStreams.size };
      case 'idle':
        requireWorld().idleSeconds = Number(body.seconds);
        return {};
      case 'power': {
        // The system suspends or locks its screen: main's auto-lock hears it.
        const event = body.event === 'lock-screen' ? 'lock-screen' : 'suspend';
        for (const listener of requireWorld().powerListeners) listener(event);
        return {};
      }
      case 'auto-lock/check':
        await requireWorld().autoLock.check();
        return { unlocked: requireWorld().session.isUnlocked };
      default:
        throw new Error(`unknown test route ${route}`);
    }
  }

  async function serveStatic(url: URL, response: ServerResponse): Promise<void> {
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let file = path.resolve(rendererDir, `.${relative}`);
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) file = path.join(rendererDir, 'index.html');
    const content = await readFile(file).catch(() => null);
    if (!content) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not built: run npm run build');
      return;
    }
    response.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    response.end(content);
  }

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const isApi =
        url.pathname === '/rpc' ||
        url.pathname === '/events' ||
        url.pathname.startsWith('/__test/');
      if (!isApi) {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          response.writeHead(405).end();
          return;
        }
        await serveStatic(url, response);
        return;
      }
      if (!authorised(request, url)) {
        sendJson(response, 403, { error: 'missing or wrong bridge token' });
        return;
      }
      if (url.pathname === '/events') {
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        response.write(': connected\n\n');
        eventStreams.add(response);
        request.on('close', () => eventStreams.delete(response));
        return;
      }
      if (url.pathname === '/__test/client.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(clientBundle);
        return;
      }
      if (request.method !== 'POST') {
        response.writeHead(405).end();
        return;
      }
      try {
        const body = (await readBody(request)) as Record<string, unknown>;
        if (url.pathname === '/rpc') {
          const current = requireWorld();
          const channel = String(body.channel);
          const result = await dispatch(current.handlers, channel, body.input, {
            onInternalError: (name, error) => console.error(`bridge: ${name} failed`, error),
          });
          current.calls.push({ channel, ok: result.ok, at: current.clock.now() });
          sendJson(response, 200, result);
          return;
        }
        sendJson(response, 200, await testApi(url.pathname.slice('/__test/'.length), body));
      } catch (error) {
        sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async close() {
      for (const stream of eventStreams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await disposeWorld();
      await rm(rendererDir, { recursive: true, force: true });
    },
  };
}
