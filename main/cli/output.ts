import type { CliIo } from './cli-io';

/**
 * Output for people and scripts. JSON goes to stdout in pieces of at most ~64 KB, so that a
 * list of 100,000 accounts never has to be one string (V8 caps a string's length); errors are
 * one line on stderr, or one JSON object there with `--json`.
 */

const CHUNK = 64 * 1024;

/**
 * Writes `value` as indented JSON. Arrays (and arrays one level down, as in `{ accounts: [...] }`)
 * are written element by element, never as one string.
 */
export function printJson(io: CliIo, value: unknown): void {
  const out = chunkedWriter(io);
  writeValue(out, value, '', 1);
  out.write('\n');
  out.flush();
}

function writeValue(out: ChunkedWriter, value: unknown, indent: string, depth: number): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return out.write('[]');
    out.write('[\n');
    value.forEach((item, index) => {
      out.write(`${indent}  `);
      writeValue(out, item, `${indent}  `, 0);
      out.write(index < value.length - 1 ? ',\n' : '\n');
    });
    return out.write(`${indent}]`);
  }
  if (depth > 0 && value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return out.write('{}');
    out.write('{\n');
    entries.forEach(([key, item], index) => {
      out.write(`${indent}  ${JSON.stringify(key)}: `);
      writeValue(out, item, `${indent}  `, depth - 1);
      out.write(index < entries.length - 1 ? ',\n' : '\n');
    });
    return out.write(`${indent}}`);
  }
  out.write(JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`));
}

interface ChunkedWriter {
  write(text: string): void;
  flush(): void;
}

function chunkedWriter(io: CliIo): ChunkedWriter {
  let buffer = '';
  return {
    write(text) {
      buffer += text;
      if (buffer.length >= CHUNK) {
        io.stdout.write(buffer);
        buffer = '';
      }
    },
    flush() {
      if (buffer !== '') io.stdout.write(buffer);
      buffer = '';
    },
  };
}

/** The one error line (or object) a failed command leaves on stderr. */
export function printError(io: CliIo, json: boolean, code: string, message: string): void {
  const text = oneLine(message);
  io.stderr.write(json ? `${JSON.stringify({ code, message: text })}\n` : `${code}: ${text}\n`);
}

/** A warning that does not stop the command (e.g. an older vault file), on stderr. */
export function printWarning(io: CliIo, json: boolean, code: string, message: string): void {
  const text = oneLine(message);
  io.stderr.write(
    json ? `${JSON.stringify({ warning: code, message: text })}\n` : `WARNING: ${code}: ${text}\n`,
  );
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
