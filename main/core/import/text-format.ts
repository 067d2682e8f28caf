import { isChronokeyError } from '../../../shared/errors';
import { parseOtpauthUri } from '../otp/otpauth-uri';
import { createYielder } from '../yield';
import { assertEntryCount } from './limits';
import { readEnteCodeDisplay } from './formats/ente';
import type { DecodedSource, ImportedEntry, SkippedEntry } from './types';

/** An input, or one link in it, that could not be read: what was wrong, and where. */
export interface ImportProblem {
  source: string;
  code: string;
  message: string;
}

/** Reads one Google Authenticator export link (`otpauth-migration://offline?data=…`). */
export type MigrationReader = (uri: string, sourceName: string) => DecodedSource;

/**
 * A link starts at its scheme and runs to whitespace, a double quote, angle bracket or backtick:
 * what surrounds links in lists, CSV, JSON, HTML and Markdown. Linear, so any text is safe.
 */
const LINK_PATTERN = /otpauth(?:-migration)?:\/\/[^\s"<>`]+/gi;

/** Every otpauth:// and otpauth-migration:// link in a text, in order, wherever they sit. */
export function findLinks(text: string): string[] {
  return Array.from(text.matchAll(LINK_PATTERN), (match) => trimLink(match[0]));
}

export function hasLinks(text: string): boolean {
  return /otpauth(?:-migration)?:\/\//i.test(text);
}

/** Drops punctuation that ends a sentence or closes a bracket around the link, not the link's own. */
function trimLink(raw: string): string {
  let link = raw.replace(/&amp;/gi, '&');
  for (;;) {
    const last = link.at(-1);
    if (last !== undefined && "'.,;:!?]}".includes(last)) link = link.slice(0, -1);
    else if (last === ')' && count(link, '(') < count(link, ')')) link = link.slice(0, -1);
    else return link;
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

export function isMigrationLink(link: string): boolean {
  return /^otpauth-migration:/i.test(link);
}

/**
 * The text format: any text holding otpauth:// and otpauth-migration:// links (pasted text,
 * WinAuth, KeePassXC, Ente's and most apps' plain exports, a QR code's content). Plain links are
 * gathered into one source; each export link is its own source (it may be one part of a batch).
 * A link that cannot be read is a problem of its own, never fatal for the others. At most
 * MAX_ENTRIES_PER_INPUT links are read from one text; the event loop gets a turn as it goes.
 */
export async function readLinkText(
  text: string,
  sourceName: string,
  readMigration: MigrationReader,
): Promise<{ sources: DecodedSource[]; problems: ImportProblem[] }> {
  const links = findLinks(text);
  assertEntryCount(links.length);
  const entries: ImportedEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const sources: DecodedSource[] = [];
  const problems: ImportProblem[] = [];
  const breathe = createYielder();
  let found = 0;
  for (let index = 0; index < links.length; index++) {
    await breathe();
    const link = links[index]!;
    const where = links.length === 1 ? sourceName : `${sourceName}, link ${index + 1}`;
    try {
      if (isMigrationLink(link)) {
        const source = readMigration(link, where);
        found += source.entries.length;
        assertEntryCount(found);
        sources.push(source);
      } else {
        const entry = entryFromLink(link);
        if ('skipped' in entry) skipped.push(entry.skipped);
        else entries.push(entry);
      }
    } catch (error) {
      if (!isChronokeyError(error)) throw error;
      if (error.code === 'IMPORT_TOO_MANY_ENTRIES') throw error;
      problems.push({ source: where, code: error.code, message: error.message });
    }
  }
  if (entries.length > 0 || skipped.length > 0) {
    sources.unshift({ format: 'links', label: 'otpauth:// link', entries, skipped });
  }
  return { sources, problems };
}

/** A link, with the tags and pin Ente Auth's plain exports carry in `codeDisplay`. */
function entryFromLink(link: string): ImportedEntry | { skipped: SkippedEntry } {
  const { warnings, ...params } = parseOtpauthUri(link);
  const display = readEnteCodeDisplay(link);
  if (display.trashed) {
    const name = params.issuer !== '' ? `${params.issuer}:${params.account}` : params.account;
    return {
      skipped: {
        name,
        code: 'ENTE_TRASHED',
        message:
          "This code is in Ente Auth's trash, so it was not imported. Restore it in Ente Auth first if you want it.",
      },
    };
  }
  return { params, tags: display.tags, favourite: display.pinned, defaulted: [], warnings };
}
