import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Real Syncthing daemons for the sync tests: each with its own `--home` and HOME, talking only
 * to each other over 127.0.0.1 (no discovery, relays, NAT, upgrades or usage reports), sharing
 * one folder with a 1 s watcher delay and a 2 s rescan.
 */

const run = promisify(execFile);

export const SYNCTHING = '/usr/bin/syncthing';
export const FOLDER_ID = 'chronokey';

export function syncthingInstalled(): boolean {
  return existsSync(SYNCTHING);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SyncthingDaemon {
  deviceId = '';
  apiKey = '';
  guiPort = 0;
  listenPort = 0;
  /** The shared folder's path on this daemon (the folder Chronokey is pointed at). */
  readonly folder: string;
  readonly home: string;
  private readonly envHome: string;
  private child: ChildProcess | null = null;
  private log = '';

  private constructor(
    readonly name: string,
    private readonly root: string,
  ) {
    this.home = join(root, 'st-home');
    this.envHome = join(root, 'home');
    this.folder = join(root, 'folder');
  }

  static async create(name: string): Promise<SyncthingDaemon> {
    const daemon = new SyncthingDaemon(
      name,
      await mkdtemp(join(tmpdir(), `chronokey-st-${name}-`)),
    );
    await mkdir(daemon.envHome, { recursive: true });
    await mkdir(join(daemon.folder, '.stfolder'), { recursive: true });
    await run(SYNCTHING, ['generate', `--home=${daemon.home}`, '--no-default-folder'], {
      env: daemon.env(),
    });
    const config = await readFile(daemon.configPath, 'utf8');
    daemon.apiKey = /<apikey>([^<]+)<\/apikey>/.exec(config)![1]!;
    daemon.deviceId = /<device id="([A-Z0-9-]+)"/.exec(config)![1]!;
    daemon.guiPort = await freePort();
    daemon.listenPort = await freePort();
    return daemon;
  }

  private get configPath(): string {
    return join(this.home, 'config.xml');
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      HOME: this.envHome,
      STNOUPGRADE: '1',
      STNORESTART: '1',
      STNODEFAULTFOLDER: '1',
    };
  }

  /** Writes the options, the peers (by device id and address) and the shared folder. */
  async configure(peers: readonly SyncthingDaemon[]): Promise<void> {
    let config = await readFile(this.configPath, 'utf8');
    const options: Record<string, string> = {
      listenAddress: `tcp://127.0.0.1:${this.listenPort}`,
      globalAnnounceEnabled: 'false',
      localAnnounceEnabled: 'false',
      relaysEnabled: 'false',
      natEnabled: 'false',
      autoUpgradeIntervalH: '0',
      urAccepted: '-1',
      crashReportingEnabled: 'false',
      startBrowser: 'false',
      reconnectionIntervalS: '1',
      setLowPriority: 'false',
    };
    for (const [key, value] of Object.entries(options)) {
      const pattern = new RegExp(`<${key}>[^<]*</${key}>`);
      if (!pattern.test(config)) throw new Error(`config.xml has no <${key}>`);
      config = config.replace(pattern, `<${key}>${value}</${key}>`);
    }
    config = config.replace(
      /(<gui [^>]*>\s*<address>)[^<]*(<\/address>)/,
      `$1127.0.0.1:${this.guiPort}$2`,
    );
    const devices = peers
      .map(
        (peer) =>
          `    <device id="${peer.deviceId}" name="${peer.name}" compression="metadata" introducer="false">\n` +
          `        <address>tcp://127.0.0.1:${peer.listenPort}</address>\n` +
          `        <paused>false</paused>\n` +
          `    </device>\n`,
      )
      .join('');
    const folder =
      `    <folder id="${FOLDER_ID}" label="Chronokey" path="${this.folder}" type="sendreceive" ` +
      `rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">\n` +
      `        <filesystemType>basic</filesystemType>\n` +
      [this, ...peers]
        .map((device) => `        <device id="${device.deviceId}" introducedBy=""></device>\n`)
        .join('') +
      `        <markerName>.stfolder</markerName>\n` +
      `    </folder>\n`;
    config = config.replace(/(<configuration [^>]*>\n)/, `$1${folder}${devices}`);
    await writeFile(this.configPath, config);
  }

  start(): void {
    this.child = spawn(
      SYNCTHING,
      ['serve', `--home=${this.home}`, '--no-browser', '--no-restart', '--no-default-folder'],
      { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }

  /** The last lines Syncthing logged (for failure messages). */
  get recentLog(): string {
    return this.log.split('\n').slice(-30).join('\n');
  }

  async rest<T = unknown>(path: string): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.guiPort}${path}`, {
      headers: { 'X-API-Key': this.apiKey },
    });
    if (!response.ok) throw new Error(`${this.name} ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  async waitUntil(
    what: string,
    check: () => Promise<boolean>,
    timeoutMs: number,
    everyMs = 250,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown = null;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(
          `syncthing ${this.name} exited (${this.child.exitCode}):\n${this.recentLog}`,
        );
      }
      try {
        if (await check()) return;
      } catch (error) {
        last = error;
      }
      await sleep(everyMs);
    }
    throw new Error(
      `syncthing ${this.name}: ${what} not within ${timeoutMs} ms (${String(last)}):\n${this.recentLog}`,
    );
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    await this.waitUntil(
      'REST ping',
      async () => (await this.rest<{ ping?: string }>('/rest/system/ping')).ping === 'pong',
      timeoutMs,
    );
    const status = await this.rest<{ myID: string }>('/rest/system/status');
    if (status.myID !== this.deviceId) {
      throw new Error(`syncthing ${this.name}: device id ${status.myID} != ${this.deviceId}`);
    }
  }

  async waitConnected(peer: SyncthingDaemon, timeoutMs = 60_000): Promise<void> {
    await this.waitUntil(
      `connection to ${peer.name}`,
      async () => {
        const state = await this.rest<{ connections: Record<string, { connected: boolean }> }>(
          '/rest/system/connections',
        );
        return state.connections[peer.deviceId]?.connected === true;
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.root, { recursive: true, force: true });
  }
}
