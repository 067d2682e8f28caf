import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { VaultContent } from '../../../shared/vault-content';
import type { ClipboardEvent } from './test-ports';
import type { ResetOptions } from './server';
import { TOKEN_HEADER } from './server';

/** Drives a running bridge from Node: the tests' and the benchmark's handle on it. */
export class BridgeControl {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async #call<T>(route: string, body: unknown = {}): Promise<T> {
    const response = await fetch(`${this.url}/__test/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: this.token },
      body: JSON.stringify(body),
    });
    const result = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`bridge ${route}: ${result.error ?? response.status}`);
    return result;
  }

  reset(options: ResetOptions = {}): Promise<{ state: string; slots: string[] }> {
    return this.#call('reset', options);
  }
  async now(): Promise<number> {
    return (await this.#call<{ now: number }>('clock')).now;
  }
  async pendingTimers(): Promise<number> {
    return (await this.#call<{ pendingTimers: number }>('clock')).pendingTimers;
  }
  async setTime(time: number): Promise<number> {
    return (await this.#call<{ now: number }>('clock/set', { time })).now;
  }
  async advance(ms: number): Promise<number> {
    return (await this.#call<{ now: number }>('clock/advance', { ms })).now;
  }
  clipboard(): Promise<{ text: string; events: ClipboardEvent[] }> {
    return this.#call('clipboard');
  }
  userCopies(text: string): Promise<void> {
    return this.#call('clipboard/user-copies', { text });
  }
  calls(): Promise<Array<{ channel: string; ok: boolean; at: number }>> {
    return this.#call('calls');
  }
  /** The vault as read back from its file (with secrets): proves a change was saved. */
  vault(password?: string): Promise<VaultContent> {
    return this.#call('vault', password === undefined ? {} : { password });
  }
  /** The path the user picks in the next save dialog (null: the user cancels). */
  willSaveTo(path: string | null): Promise<void> {
    return this.#call('dialog/save-to', { path });
  }
  /** The folder the user picks in the next folder dialog (null: the user cancels). */
  willChooseFolder(path: string | null): Promise<void> {
    return this.#call('dialog/choose-folder', { path });
  }
  /** Save and folder dialogs shown, and the window's screen-capture protection now. */
  /** What the person answers in main's own confirmation dialog from now on (yes by default). */
  willConfirm(answer: boolean): Promise<void> {
    return this.#call('dialog/confirm', { answer });
  }
  backupPorts(): Promise<{
    confirmsAsked: string[];
    saveShown: number;
    defaultName: string;
    folderShown: number;
    protected: boolean;
    protectionChanges: boolean[];
  }> {
    return this.#call('backup/ports');
  }
  /** The files the user picks in the next open-file dialog (null: the user cancels). */
  willPickFiles(files: Array<{ name: string; base64: string }> | null): Promise<void> {
    return this.#call('dialog/pick', { files });
  }
  /** What the displays show when the import scans the screen (pictures in base64). */
  showOnScreen(images: Array<{ name: string; base64: string }>): Promise<void> {
    return this.#call('screen/show', { images });
  }
  /** How often the open-file dialog was shown and the screen captured. */
  importPorts(): Promise<{ dialogShown: number; captures: number }> {
    return this.#call('import/ports');
  }
  emit(event: string, payload?: unknown): Promise<{ listeners: number }> {
    return this.#call('emit', { event, payload });
  }
  async listeners(): Promise<number> {
    return (await this.#call<{ listeners: number }>('listeners')).listeners;
  }
  /** Sets the system's idle time (what Electron's powerMonitor would report). */
  setIdle(seconds: number): Promise<void> {
    return this.#call('idle', { seconds });
  }
  /** The system suspends or locks its screen. */
  power(event: 'suspend' | 'lock-screen'): Promise<void> {
    return this.#call('power', { event });
  }
  async clientScript(): Promise<string> {
    const response = await fetch(`${this.url}/__test/client.js`, {
      headers: { [TOKEN_HEADER]: this.token },
    });
    if (!response.ok) throw new Error(`bridge client.js: ${response.status}`);
    return response.text();
  }
}

export interface BridgeProcess {
  control: BridgeControl;
  stop(): Promise<void>;
}

/** Starts the bridge in a child process (tsx), waiting for its address line. */
export async function spawnBridge(rendererDir = 'dist/renderer'): Promise<BridgeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/e2e/bridge/main.ts', rendererDir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bridge exited early (${code})`)));
  });
  lines.on('line', (line) => process.stdout.write(`bridge: ${line}\n`));
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return {
    control: new BridgeControl(url, token),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill('SIGTERM'), 3000).unref();
      }),
  };
}
