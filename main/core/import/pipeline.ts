import type { ImportItem, ImportPreview } from '../../../shared/contract';
import type { Account, AccountView, VaultContent } from '../../../shared/domain';
import { toAccountView } from '../../../shared/domain';
import { ChronokeyError, isChronokeyError } from '../../../shared/errors';
import { newAccount, sameSecret, displayName } from '../accounts';
import type { Clock, TimerPort } from '../ports';
import type { CapturedDisplay } from '../qr/screen-capture-port';
import { toWellFormed } from '../otp/percent-decode';
import { checkEntry } from './checks';
import { PreviewStore } from './preview-store';
import { imageKind, jsonProblem, sniffInput } from './sniff';
import type { ImportProblem, MigrationReader } from './text-format';
import { hasLinks, readLinkText } from './text-format';
import type {
  DecodedSource,
  ImportedEntry,
  ImportFormat,
  ImportInput,
  SniffedInput,
} from './types';

export type { CapturedDisplay };

/** What the pipeline reads with; the app wires the real formats and QR reader (formats/index.ts). */
export interface ImportEngines {
  /** Backup formats, most specific first; plain link text is read after all of them. */
  formats: readonly ImportFormat[];
  readMigration: MigrationReader;
  /**
   * Every QR code's text in a PNG/JPEG/WebP image; throws IMAGE_TOO_LARGE (over 50 megapixels)
   * or IMAGE_CORRUPT naming the file (main/core/qr).
   */
  decodeQrCodes(image: ImportInput): Promise<string[]>;
  decodeQrCodesFromRgba(image: CapturedDisplay): Promise<string[]>;
}

/** How many inputs are read at once. */
const READ_CONCURRENCY = 4;

export interface Progress {
  done: number;
  total: number;
  stage: string;
}

export interface ImportPipelineDeps {
  engines: ImportEngines;
  clock: Clock;
  timers?: TimerPort;
  onProgress?: (progress: Progress) => void;
}

interface Found {
  key: string;
  source: string;
  formatLabel: string;
  entry: ImportedEntry;
}

interface PendingPassword {
  source: string;
  label: string;
  input: SniffedInput;
  format: ImportFormat;
}

interface PreviewState {
  found: Found[];
  skipped: ImportPreview['skipped'];
  errors: ImportProblem[];
  pending: PendingPassword[];
  /** Google batches: parts seen per batch id (parts scanned twice are ignored). */
  batches: Map<number, { size: number; parts: Set<number> }>;
  sourceNames: Set<string>;
  nextKey: number;
}

/** What reading one input produced. */
interface InputResult {
  /** Each decoded source with the name it is shown under (an image's "code 2", a display). */
  sources: Array<{ name: string; decoded: DecodedSource }>;
  problems: ImportProblem[];
  pending?: PendingPassword;
}

/**
 * The one import pipeline: decode → parse → check → preview → commit. Every source (text,
 * files, screen captures) becomes inputs; each input is read by the format its content matches;
 * the entries found are checked against the vault and each other and shown as a preview, which
 * stays in main's memory (with its secrets) until it is committed, cancelled, expires or the
 * vault locks. The renderer only ever sees ImportItems, which carry no secret.
 */
export class ImportPipeline {
  readonly #store: PreviewStore<PreviewState>;

  constructor(private readonly deps: ImportPipelineDeps) {
    this.#store = new PreviewStore(deps.clock, deps.timers);
  }

  /** Reads inputs into a new preview, or into the open one named (the next Google batch part). */
  async addInputs(
    previewId: string | undefined,
    inputs: readonly ImportInput[],
    vault: VaultOwner,
  ): Promise<ImportPreview> {
    const { id, state } = this.#openOrGet(previewId, vault.owner);
    const named = inputs.map((input) => ({ input, source: uniqueName(state, input.name) }));
    const results = await this.#each(
      named,
      { many: 'files', verb: 'Reading' },
      ({ source }) => source,
      ({ input, source }) => this.#readInput(input, source),
    );
    // Recorded in the order given, whatever order the reads finished in.
    for (const result of results) this.#record(state, result);
    return this.#view(id, state, vault.accounts);
  }

  /** Reads the QR codes on captured displays (a screen scan) into a preview. */
  async addDisplays(
    previewId: string | undefined,
    displays: readonly CapturedDisplay[],
    vault: VaultOwner,
  ): Promise<ImportPreview> {
    const { id, state } = this.#openOrGet(previewId, vault.owner);
    const found = await this.#each(
      displays,
      { many: 'screens', verb: 'Scanning' },
      (display) => display.name,
      (display) => this.deps.engines.decodeQrCodesFromRgba(display),
    );
    const texts = displays.flatMap((display, index) =>
      found[index]!.map((text) => ({ source: display.name, where: display.name, text })),
    );
    const result = this.#readQrTexts(texts, 'Screen', 'on your screen');
    if (texts.length === 0) {
      result.problems.push({
        source: 'Screen',
        code: 'SCREEN_NO_QR',
        message: `No QR code was found on ${displays.length === 1 ? 'your screen' : `any of your ${displays.length} screens`}. Show the QR code fully on screen, not covered by other windows, and scan again.`,
      });
    }
    this.#record(state, result);
    return this.#view(id, state, vault.accounts);
  }

  /** Retries an encrypted input with its password. A wrong password throws and changes nothing. */
  async unlock(
    previewId: string,
    source: string,
    password: string,
    vault: VaultOwner,
  ): Promise<ImportPreview> {
    const state = this.#store.get(previewId, vault.owner);
    const pending = state.pending.find((candidate) => candidate.source === source);
    if (!pending) {
      throw new ChronokeyError(
        'IMPORT_NO_PASSWORD_NEEDED',
        `"${source}" is not waiting for a password in this import.`,
      );
    }
    let decoded: DecodedSource;
    try {
      decoded = await pending.format.decode(pending.input, { password });
    } catch (error) {
      if (isChronokeyError(error) && error.code === 'IMPORT_WRONG_PASSWORD') throw error;
      state.pending.splice(state.pending.indexOf(pending), 1);
      this.#record(state, { sources: [], problems: [problemOf(error, pending)] });
      return this.#view(previewId, state, vault.accounts);
    }
    state.pending.splice(state.pending.indexOf(pending), 1);
    this.#record(state, { sources: [{ name: source, decoded }], problems: [] });
    return this.#view(previewId, state, vault.accounts);
  }

  /** The preview as it stands (marks recomputed against the vault's current accounts). */
  preview(previewId: string, vault: VaultOwner): ImportPreview {
    return this.#view(previewId, this.#store.get(previewId, vault.owner), vault.accounts);
  }

  /**
   * Adds the chosen items in one vault update: all of them or none. `update` is the session's
   * locked read-modify-write; it runs the change against the latest content on disk.
   */
  async commit(
    previewId: string,
    keys: readonly string[],
    owner: object,
    update: <T>(change: (draft: VaultContent) => T) => Promise<T>,
    /** `replace` (restoring a backup): the chosen accounts take the place of all others. */
    mode: 'merge' | 'replace' = 'merge',
  ): Promise<AccountView[]> {
    const state = this.#store.get(previewId, owner);
    const byKey = new Map(state.found.map((found) => [found.key, found]));
    const chosen = [...new Set(keys)].map((key) => {
      const found = byKey.get(key);
      if (!found) {
        throw new ChronokeyError(
          'IMPORT_ITEM_UNKNOWN',
          'One of the chosen accounts is not part of this import any more. Nothing was imported; start the import again.',
        );
      }
      return found;
    });
    const now = this.deps.clock.now();
    const accounts = chosen.map((found) => accountFrom(found.entry, now));
    const added = await update((draft) => {
      if (mode === 'replace') draft.accounts = [];
      const taken = new Set(draft.accounts.map((account) => account.id));
      chosen.forEach(({ entry }, index) => {
        // A Chronokey backup gives back the very same account (id, times) unless that id is taken.
        const account = accounts[index]!;
        const { restore } = entry;
        if (restore && !taken.has(restore.id)) {
          account.id = restore.id;
          account.createdAt = restore.createdAt;
          account.lastUsedAt = restore.lastUsedAt;
        }
        taken.add(account.id);
      });
      for (const account of accounts) {
        const sharing = draft.accounts.find((other) => sameSecret(other, account));
        if (sharing && account.warnings.length < 32) {
          account.warnings.push({
            code: 'SECRET_SHARED',
            message: `"${displayName(sharing).slice(0, 200)}" uses the same secret key.`,
          });
        }
        draft.accounts.push(account);
      }
      return accounts.map(toAccountView);
    });
    this.#store.drop(previewId);
    return added;
  }

  cancel(previewId: string): void {
    this.#store.drop(previewId);
  }

  /** Forgets every preview (the vault was locked). */
  clear(): void {
    this.#store.clear();
  }

  #openOrGet(previewId: string | undefined, owner: object): { id: string; state: PreviewState } {
    if (previewId !== undefined) return { id: previewId, state: this.#store.get(previewId, owner) };
    const state: PreviewState = {
      found: [],
      skipped: [],
      errors: [],
      pending: [],
      batches: new Map(),
      sourceNames: new Set(),
      nextKey: 1,
    };
    return { id: this.#store.open(state, owner), state };
  }

  /**
   * Runs `read` over the items, a few at a time (QR searches run in worker threads, backup key
   * derivation in libuv's pool), and returns the results in the items' order. Reports progress
   * after each item when there is more than one.
   */
  async #each<T, R>(
    items: readonly T[],
    what: { many: string; verb: string },
    name: (item: T) => string,
    read: (item: T) => Promise<R>,
  ): Promise<R[]> {
    const report = items.length > 1 ? this.deps.onProgress : undefined;
    const total = items.length;
    report?.({ done: 0, total, stage: `${what.verb} ${total} ${what.many}` });
    const results = new Array<R>(total);
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const index = next++;
        const item = items[index]!;
        results[index] = await read(item);
        done += 1;
        report?.({ done, total, stage: `Done: ${name(item)}`.slice(0, 200) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, total) }, worker));
    return results;
  }

  #record(state: PreviewState, result: InputResult): void {
    state.errors.push(...result.problems);
    if (result.pending) state.pending.push(result.pending);
    for (const { name: source, decoded } of result.sources) {
      if (decoded.batch) {
        const { id, index, size } = decoded.batch;
        const batch = state.batches.get(id) ?? { size, parts: new Set<number>() };
        state.batches.set(id, batch);
        // The same part scanned again (or the same export file added twice) adds nothing.
        if (batch.parts.has(index)) continue;
        batch.parts.add(index);
      }
      for (const entry of decoded.entries) {
        state.found.push({
          key: String(state.nextKey++),
          source,
          formatLabel: decoded.label,
          entry,
        });
      }
      for (const skipped of decoded.skipped) state.skipped.push({ source, ...skipped });
    }
  }

  async #readInput(input: ImportInput, source: string): Promise<InputResult> {
    const fail = (code: string, message: string): InputResult => ({
      sources: [],
      problems: [{ source, code, message }],
    });
    let sniffed: SniffedInput;
    try {
      sniffed = sniffInput({ name: source, bytes: input.bytes });
    } catch (error) {
      return { sources: [], problems: [problemOf(error, { source })] };
    }
    const kind = imageKind(sniffed.bytes);
    if (kind !== null) return this.#readImage(sniffed, kind);

    const format = this.deps.engines.formats.find((candidate) => detects(candidate, sniffed));
    if (format) return this.#decodeWith(format, sniffed, source);
    if (sniffed.text !== null && hasLinks(sniffed.text))
      return this.#readLinks(sniffed.text, source);
    const problem = sniffed.text === null ? null : jsonProblem(sniffed.text);
    if (problem !== null) {
      return fail(
        'IMPORT_MALFORMED_JSON',
        `"${source}" looks like a JSON backup but is not valid JSON (${problem}). The file may be cut short or damaged; export it again.`,
      );
    }
    if (sniffed.text !== null && sniffed.text.trim() === '') {
      return fail('IMPORT_EMPTY', `"${source}" is empty: there is nothing to import.`);
    }
    return fail(
      'IMPORT_UNSUPPORTED_FORMAT',
      `Chronokey does not recognise what "${source}" holds: it is not an image, a list of otpauth:// links or an export of ${SUPPORTED_APPS}.`,
    );
  }

  async #decodeWith(
    format: ImportFormat,
    input: SniffedInput,
    source: string,
  ): Promise<InputResult> {
    const pending = { source, label: format.label, input, format };
    if (format.isEncrypted(input)) return { sources: [], problems: [], pending };
    try {
      return { sources: [{ name: source, decoded: await format.decode(input, {}) }], problems: [] };
    } catch (error) {
      if (isChronokeyError(error) && error.code === 'IMPORT_PASSWORD_REQUIRED') {
        return { sources: [], problems: [], pending };
      }
      return { sources: [], problems: [problemOf(error, pending)] };
    }
  }

  async #readImage(input: SniffedInput, kind: string): Promise<InputResult> {
    const source = input.name;
    const fail = (code: string, message: string): InputResult => ({
      sources: [],
      problems: [{ source, code, message }],
    });
    if (kind === 'bmp') {
      return fail(
        'IMAGE_UNSUPPORTED',
        `"${source}" is a BMP image, which Chronokey does not read. Save it as PNG or JPEG and try again.`,
      );
    }
    let texts: string[];
    try {
      texts = await this.deps.engines.decodeQrCodes({ name: source, bytes: input.bytes });
    } catch (error) {
      if (isChronokeyError(error)) return fail(error.code, error.message);
      return fail(
        'IMAGE_CORRUPT',
        `"${source}" looks like a ${kind.toUpperCase()} image but cannot be read: it is damaged or cut short.`,
      );
    }
    if (texts.length === 0) {
      return fail(
        'IMAGE_NO_QR',
        `No QR code was found in "${source}". Use a sharper or larger picture of the code, with all of it in view.`,
      );
    }
    return this.#readQrTexts(
      texts.map((text, index) => ({
        source,
        where: texts.length === 1 ? source : `${source}, code ${index + 1}`,
        text,
      })),
      source,
      `in "${source}"`,
    );
  }

  /**
   * QR codes' texts: authenticator links are read as link text; other codes are reported only
   * when none of the codes is an authenticator link (a page or screen often shows unrelated QRs).
   */
  #readQrTexts(
    texts: ReadonlyArray<{ source: string; where: string; text: string }>,
    problemSource: string,
    where: string,
  ): InputResult {
    const result: InputResult = { sources: [], problems: [] };
    const others: string[] = [];
    for (const { source, where, text } of texts) {
      if (!/^\s*otpauth(-migration)?:\/\//i.test(text)) others.push(text);
      else {
        const read = this.#readLinks(text, source, where);
        result.sources.push(...read.sources);
        result.problems.push(...read.problems);
      }
    }
    if (others.length > 0 && result.sources.length === 0 && result.problems.length === 0) {
      const many = others.length > 1;
      result.problems.push({
        source: problemSource,
        code: 'QR_NOT_AUTHENTICATOR',
        message: `The QR code${many ? 's' : ''} ${where} ${many ? 'are' : 'is'} not an authenticator link (${many ? 'the first ' : ''}reads "${clip(others[0]!, 60)}"). Use the QR code the site shows for setting up two-factor authentication.`,
      });
    }
    return result;
  }

  /** `where` names the source in problems (e.g. "shot.png, code 2"); items carry `source`. */
  #readLinks(text: string, source: string, where = source): InputResult {
    const read = readLinkText(text, where, this.deps.engines.readMigration);
    return {
      sources: read.sources.map((decoded) => ({ name: source, decoded })),
      problems: read.problems,
    };
  }

  #view(id: string, state: PreviewState, vault: readonly Account[]): ImportPreview {
    const earlier: Array<{ params: ImportedEntry['params']; source: string }> = [];
    const items: ImportItem[] = state.found.map((found) => {
      const { params, tags } = found.entry;
      const checked = checkEntry(found.entry, found.formatLabel, vault, earlier);
      earlier.push({ params, source: found.source });
      return {
        key: found.key,
        source: clip(found.source, 512),
        type: params.type,
        issuer: params.issuer,
        account: params.account,
        algorithm: params.algorithm,
        digits: params.digits,
        period: params.period,
        counter: params.counter,
        tags: cleanTags(tags),
        marks: checked.marks,
        selected: checked.selected,
      };
    });
    return {
      id,
      items,
      skipped: state.skipped,
      errors: state.errors,
      needsPassword: state.pending.map(({ source, label }) => ({ source, label })),
      batches: [...state.batches]
        .filter(([, batch]) => batch.size > 1)
        .map(([batchId, batch]) => ({ id: batchId, scanned: batch.parts.size, size: batch.size })),
    };
  }
}

/** The unlocked vault an import belongs to, and its accounts (for duplicate marks). */
export interface VaultOwner {
  owner: object;
  accounts: readonly Account[];
}

const SUPPORTED_APPS =
  'Aegis, 2FAS, Ente Auth, Bitwarden, andOTP, Authenticator Pro, FreeOTP+ or Google Authenticator';

/**
 * The label of the encrypted backup format this input is ("Aegis vault"), or null when reading it
 * needs no password. Lets the CLI know which passwords to read before opening anything.
 */
export function needsPasswordToRead(
  input: ImportInput,
  formats: readonly ImportFormat[],
): string | null {
  let sniffed: SniffedInput;
  try {
    sniffed = sniffInput(input);
  } catch {
    return null;
  }
  if (imageKind(sniffed.bytes) !== null) return null;
  const format = formats.find((candidate) => detects(candidate, sniffed));
  return format && format.isEncrypted(sniffed) ? format.label : null;
}

function detects(format: ImportFormat, input: SniffedInput): boolean {
  try {
    return format.detect(input);
  } catch {
    return false;
  }
}

function problemOf(error: unknown, where: { source: string; label?: string }): ImportProblem {
  if (isChronokeyError(error))
    return { source: where.source, code: error.code, message: error.message };
  return {
    source: where.source,
    code: 'IMPORT_MALFORMED',
    message: `"${where.source}"${where.label ? ` looks like ${where.label}, but it` : ''} could not be read: it is damaged or in a form Chronokey does not know. Export it again.`,
  };
}

function uniqueName(state: PreviewState, name: string): string {
  let unique = name.trim() === '' ? 'Untitled' : name;
  for (let n = 2; state.sourceNames.has(unique); n++) unique = `${name} (${n})`;
  state.sourceNames.add(unique);
  return unique;
}

/** Tags as the vault stores them: trimmed, non-empty, at most 64 characters, at most 64 tags. */
export function cleanTags(tags: readonly string[]): string[] {
  const cleaned = tags
    .map((tag) => toWellFormed(tag.trim().slice(0, 64)).trim())
    .filter((tag) => tag !== '');
  return [...new Set(cleaned)].slice(0, 64);
}

function accountFrom(entry: ImportedEntry, now: number): Account {
  const account = newAccount(
    {
      ...entry.params,
      issuer: entry.params.issuer.slice(0, 512),
      account: entry.params.account.slice(0, 512),
      warnings: entry.warnings.slice(0, 31).map((warning) => ({
        code: warning.code.slice(0, 64),
        message: warning.message.slice(0, 500),
      })),
    },
    now,
  );
  account.tags = cleanTags(entry.tags);
  account.favourite = entry.favourite;
  return account;
}

function clip(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
