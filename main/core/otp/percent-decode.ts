/** A run of %XX escapes; decoded together because one UTF-8 character spans several. */
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Percent-decodes UTF-8 the way a forgiving reader should: valid sequences become characters,
 * anything malformed (a lone %, a broken or overlong UTF-8 sequence) stays exactly as written.
 * decodeURIComponent would throw on the first bad escape and lose the whole label.
 */
export function decodePercentLeniently(text: string): string {
  return text.replace(ESCAPE_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return decodeRunByCharacter(run);
    }
  });
}

/**
 * True when the text holds a percent escape that does not decode: a '%' without two hex digits
 * after it, or escapes that are not whole UTF-8 characters (`%E0%A4%A`). decodePercentLeniently
 * keeps those as typed, and the person should be told.
 */
export function hasBrokenEscape(text: string): boolean {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return true;
  for (const run of text.match(ESCAPE_RUN) ?? []) {
    if (tryDecode(run) === undefined) return true;
  }
  return false;
}

/** Decodes one UTF-8 character at a time, keeping the escapes of any that do not decode. */
function decodeRunByCharacter(run: string): string {
  const escapes = run.match(/%[0-9A-Fa-f]{2}/g) ?? [];
  let out = '';
  let index = 0;
  while (index < escapes.length) {
    const lead = parseInt((escapes[index] ?? '%00').slice(1), 16);
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    const sequence = escapes.slice(index, index + length).join('');
    const decoded = tryDecode(sequence);
    if (decoded !== undefined) {
      out += decoded;
      index += length;
    } else {
      out += escapes[index] ?? '';
      index += 1;
    }
  }
  return out;
}

function tryDecode(sequence: string): string | undefined {
  try {
    return decodeURIComponent(sequence);
  } catch {
    return undefined;
  }
}

/**
 * Replaces lone UTF-16 surrogates with U+FFFD (String#toWellFormed, which ES2023 typings lack).
 * A name with a lone surrogate cannot be percent-encoded, so it could never be written back.
 */
export function toWellFormed(text: string): string {
  return text.replace(/\p{Surrogate}/gu, '\uFFFD');
}
