import { ChronokeyError } from '../../shared/errors';

/** Reads the first line of a stream (the password given with --password-stdin). */
export async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const end = text.indexOf('\n');
    if (end !== -1) {
      text = text.slice(0, end);
      break;
    }
  }
  const line = text.replace(/\r$/, '');
  if (line.length === 0) {
    throw new ChronokeyError(
      'PASSWORD_EMPTY',
      'No password was given on standard input: write it as the first line.',
    );
  }
  return line;
}

/** Asks for a password on the terminal without echoing it. */
export async function promptPassword(
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    const typed = await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer) => {
        for (const character of chunk.toString('utf8')) {
          if (character === '\r' || character === '\n') {
            input.off('data', onData);
            resolve(value);
            return;
          }
          if (character === '\u0003') {
            input.off('data', onData);
            reject(new ChronokeyError('CANCELLED', 'Cancelled; nothing was changed.'));
            return;
          }
          if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
          else value += character;
        }
      };
      input.on('data', onData);
    });
    if (typed.length === 0) {
      throw new ChronokeyError('PASSWORD_EMPTY', 'The password cannot be empty.');
    }
    return typed;
  } finally {
    input.setRawMode(false);
    input.pause();
    output.write('\n');
  }
}

/** Reads up to `max` lines of standard input (passwords, a link), without their line ends. */
export async function readLines(stream: NodeJS.ReadableStream, max: number): Promise<string[]> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.split('\n').length > max) break;
    if (text.length > 64 * 1024) break;
  }
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.slice(0, max);
}
