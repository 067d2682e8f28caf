import { ChronokeyError } from '../../../shared/errors';
import { errnoCode } from '../vault/vault-errors';
import { MAX_INPUT_BYTES } from './sniff';

/**
 * Why a file given to import could not be read, as one sentence naming it: the CLI's PATH and
 * the app's open dialog use the same words.
 */
export function importFileError(name: string, error: unknown): ChronokeyError {
  if (error instanceof ChronokeyError) return error;
  switch (errnoCode(error)) {
    case 'ENOENT':
      return new ChronokeyError('IMPORT_FILE_NOT_FOUND', `There is no file "${name}".`);
    case 'EACCES':
    case 'EPERM':
      return new ChronokeyError(
        'IMPORT_FILE_UNREADABLE',
        `"${name}" cannot be read (permission denied).`,
      );
    case 'ENOTREGULAR':
    case 'EISDIR':
      return new ChronokeyError(
        'IMPORT_NOT_A_FILE',
        `"${name}" is not a file Chronokey can import (it is a folder, a device or a pipe); give one file.`,
      );
    case 'EFBIG':
      return new ChronokeyError(
        'IMPORT_TOO_LARGE',
        `"${name}" is larger than ${MAX_INPUT_BYTES / 2 ** 20} MiB, the most Chronokey reads from one file. Check that this is the right file.`,
      );
    default:
      return new ChronokeyError(
        'IMPORT_FILE_UNREADABLE',
        `"${name}" cannot be read (${errnoCode(error) ?? 'unexpected error'}).`,
        { cause: error },
      );
  }
}
