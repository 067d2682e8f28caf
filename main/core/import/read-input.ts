import { isChronokeyError } from '../../../shared/errors';
import { MAX_CODES_PER_PICTURE } from '../qr/limits';
import type { CapturedDisplay } from '../qr/screen-capture-port';
import { imageKind, jsonProblem, sniffInput } from './sniff';
import type { ImportProblem, MigrationReader } from './text-format';
import { hasLinks, readLinkText } from './text-format';
import type { DecodedSource, ImportFormat, ImportInput, SniffedInput } from './types';

/** What the pipeline reads with; the app wires the real formats and QR reader (formats/index.ts). */
export interface ImportEngines {
  /** Backup formats, most specific first; plain link text is read after all of them. */
  formats: readonly ImportFormat[];
  readMigration: MigrationReader;
  /**
   * Every QR code's text in an image file, and whether a bound stopped the search; throws
   * IMAGE_TOO_LARGE, IMAGE_CORRUPT, IMAGE_TOO_COMPLEX or IMPORT_CANCELLED naming the file
   * (main/core/qr). Aborting `signal` stops the search.
   */
  readQrCodes(image: ImportInput, options: QrOptions): Promise<QrTexts>;
  readQrCodesFromRgba(image: CapturedDisplay, options: QrOptions): Promise<QrTexts>;
}

export interface QrOptions {
  signal?: AbortSignal | undefined;
}

export interface QrTexts {
  texts: string[];
  /** The picture may hold more codes than were read (a bound of the search was reached). */
  limitReached: boolean;
}

/** An encrypted input waiting for its password. */
export interface PendingPassword {
  source: string;
  label: string;
  input: SniffedInput;
  format: ImportFormat;
}

/** What reading one input produced. */
export interface InputResult {
  /** Each decoded source with the name it is shown under (an image's "code 2", a display). */
  sources: Array<{ name: string; decoded: DecodedSource }>;
  problems: ImportProblem[];
  pending?: PendingPassword;
}

const SUPPORTED_APPS =
  'Aegis, 2FAS, Ente Auth, andOTP, Authenticator Pro, FreeOTP+, Google Authenticator, ' +
  'LastPass Authenticator, Proton Authenticator, KeePass, 1Password, Proton Pass, Bitwarden or ' +
  'Apple Passwords';

/**
 * Reads one input by its content (never its name): an image goes to the QR reader, a backup to
 * the first format that recognises it, text with links to the link reader. Never throws for
 * anything the input holds: every problem comes back as an ImportProblem naming `source`.
 */
export async function readInput(
  engines: ImportEngines,
  input: ImportInput,
  source: string,
  options: QrOptions = {},
): Promise<InputResult> {
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
  if (kind !== null) return readImage(engines, sniffed, kind, options);

  const format = engines.formats.find((candidate) => detects(candidate, sniffed));
  if (format) return decodeWith(format, sniffed, source);
  if (sniffed.text !== null && hasLinks(sniffed.text)) {
    return readLinks(engines, sniffed.text, source);
  }
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

/** Decodes with a password the user gave later; a wrong password throws (nothing recorded). */
export async function decodePending(
  pending: PendingPassword,
  password: string,
): Promise<InputResult> {
  try {
    const decoded = await pending.format.decode(pending.input, { password });
    return { sources: [{ name: pending.source, decoded }], problems: [] };
  } catch (error) {
    if (isChronokeyError(error) && error.code === 'IMPORT_WRONG_PASSWORD') throw error;
    return { sources: [], problems: [problemOf(error, pending)] };
  }
}

/** The QR codes found on captured displays (a screen scan), read like a picture's. */
export async function readDisplays(
  engines: ImportEngines,
  displays: readonly CapturedDisplay[],
  found: ReadonlyArray<QrTexts | ImportProblem>,
): Promise<InputResult> {
  const texts = displays.flatMap((display, index) => {
    const read = found[index]!;
    return 'texts' in read
      ? read.texts.map((text) => ({ source: display.name, where: display.name, text }))
      : [];
  });
  const result = await readQrTexts(engines, texts, 'Screen', 'on your screen');
  displays.forEach((display, index) => {
    const read = found[index]!;
    if (!('texts' in read)) result.problems.push(read);
    else if (read.limitReached) result.problems.push(limitProblem(display.name, read.texts.length));
  });
  if (texts.length === 0 && found.every((read) => 'texts' in read)) {
    result.problems.push({
      source: 'Screen',
      code: 'SCREEN_NO_QR',
      message: `No QR code was found on ${displays.length === 1 ? 'your screen' : `any of your ${displays.length} screens`}. Show the QR code fully on screen, not covered by other windows, and scan again.`,
    });
  }
  return result;
}

async function decodeWith(
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

async function readImage(
  engines: ImportEngines,
  input: SniffedInput,
  kind: string,
  options: QrOptions,
): Promise<InputResult> {
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
  let read: QrTexts;
  try {
    read = await engines.readQrCodes({ name: source, bytes: input.bytes }, options);
  } catch (error) {
    if (isChronokeyError(error) && error.code === 'IMPORT_CANCELLED') throw error;
    if (isChronokeyError(error)) return fail(error.code, error.message);
    return fail(
      'IMAGE_CORRUPT',
      `"${source}" looks like a ${kind.toUpperCase()} image but cannot be read: it is damaged or cut short.`,
    );
  }
  const { texts } = read;
  if (texts.length === 0) {
    return fail(
      'IMAGE_NO_QR',
      `No QR code was found in "${source}". Use a sharper or larger picture of the code, with all of it in view.`,
    );
  }
  const result = await readQrTexts(
    engines,
    texts.map((text, index) => ({
      source,
      where: texts.length === 1 ? source : `${source}, code ${index + 1}`,
      text,
    })),
    source,
    `in "${source}"`,
  );
  if (read.limitReached) result.problems.push(limitProblem(source, texts.length));
  return result;
}

/** Said whenever a picture may hold more codes than were read: never cut silently. */
function limitProblem(source: string, read: number): ImportProblem {
  return {
    source,
    code: 'QR_LIMIT_REACHED',
    message: `"${source}" may hold more QR codes than the ${read} Chronokey read (it reads at most ${MAX_CODES_PER_PICTURE} from one picture, and stops searching a very busy one). Crop it into smaller pictures to read the rest.`,
  };
}

/**
 * QR codes' texts: authenticator links are read as link text; other codes are reported only
 * when none of the codes is an authenticator link (a page or screen often shows unrelated QRs).
 */
async function readQrTexts(
  engines: ImportEngines,
  texts: ReadonlyArray<{ source: string; where: string; text: string }>,
  problemSource: string,
  where: string,
): Promise<InputResult> {
  const result: InputResult = { sources: [], problems: [] };
  const others: string[] = [];
  for (const { source, where: at, text } of texts) {
    if (!/^\s*otpauth(-migration)?:\/\//i.test(text)) others.push(text);
    else {
      const read = await readLinks(engines, text, source, at);
      for (const item of read.sources) result.sources.push(item);
      for (const problem of read.problems) result.problems.push(problem);
    }
  }
  if (others.length > 0 && result.sources.length === 0 && result.problems.length === 0) {
    const many = others.length > 1;
    result.problems.push({
      source: problemSource,
      code: 'QR_NOT_AUTHENTICATOR',
      message: `The QR code${many ? 's' : ''} ${where} ${many ? 'are' : 'is'} not an authenticator link (${many ? 'the first holds' : 'it holds'} ${whatQrHolds(others[0]!)}). Use the QR code the site shows for setting up two-factor authentication.`,
    });
  }
  return result;
}

/** `where` names the source in problems (e.g. "shot.png, code 2"); items carry `source`. */
async function readLinks(
  engines: ImportEngines,
  text: string,
  source: string,
  where = source,
): Promise<InputResult> {
  try {
    const read = await readLinkText(text, where, engines.readMigration);
    return {
      sources: read.sources.map((decoded) => ({ name: source, decoded })),
      problems: read.problems,
    };
  } catch (error) {
    return { sources: [], problems: [problemOf(error, { source })] };
  }
}

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

/** What kind of thing a QR code holds, without quoting it (it may be a Wi-Fi password). */
function whatQrHolds(text: string): string {
  if (/^https?:\/\//i.test(text)) return 'a web address';
  if (/^WIFI:/i.test(text)) return 'Wi-Fi settings';
  if (/^(BEGIN:VCARD|MECARD:)/i.test(text)) return 'a contact card';
  return 'other text';
}

export function clip(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
