import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ChronokeyError } from '../../../../../shared/errors';
import type {
  DecodedSource,
  ImportFormat,
  SniffedInput,
} from '../../../../../main/core/import/types';
import { FIXTURES, readFixture } from '../../../../fixtures/import/make-samples';

/**
 * Shared by the tests of the Aegis, 2FAS, Bitwarden and FreeOTP+ formats: inputs as the pipeline
 * hands them over, the committed samples with their expected accounts, and the fuzz harness.
 */

/** An input as sniffing makes it: UTF-8 text and, if it is JSON, the parsed value. */
export function sniffText(name: string, text: string): SniffedInput {
  const trimmed = text.trim();
  let json: unknown;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      json = JSON.parse(trimmed) as unknown;
    } catch {
      json = undefined;
    }
  }
  return { name, bytes: new TextEncoder().encode(text), text, json };
}

export function sniffJson(name: string, value: unknown): SniffedInput {
  return sniffText(name, JSON.stringify(value));
}

export function sniffFixture(path: string): SniffedInput {
  return sniffText(path.split('/').at(-1) ?? path, readFixture(path));
}

export interface ExpectedFixture {
  format: string;
  password?: string;
  error?: string;
  accounts?: Array<Record<string, unknown>>;
  skipped?: Array<{ name: string; code: string }>;
}

export function expectedFor(path: string): ExpectedFixture {
  return JSON.parse(readFixture(path.replace(/\.[^./]+$/, '.expected.json'))) as ExpectedFixture;
}

/** What a decoded source yields, in the shape of the `*.expected.json` files. */
export function summarize(
  source: DecodedSource,
): Required<Pick<ExpectedFixture, 'accounts' | 'skipped'>> {
  return {
    accounts: source.entries.map((entry) => ({
      ...entry.params,
      tags: entry.tags,
      favourite: entry.favourite,
      defaulted: entry.defaulted,
    })),
    skipped: source.skipped.map(({ name, code }) => ({ name, code })),
  };
}

/** Decodes a committed sample (with its password, if it has one) and compares it with its expectations. */
export async function expectSampleMatches(
  format: ImportFormat,
  path: string,
): Promise<DecodedSource> {
  const expected = expectedFor(path);
  const input = sniffFixture(path);
  expect(format.detect(input)).toBe(true);
  expect(format.isEncrypted(input)).toBe(expected.password !== undefined);
  const options = expected.password === undefined ? {} : { password: expected.password };
  const source = await format.decode(input, options);
  expect(source.format).toBe(expected.format);
  expect(summarize(source)).toEqual({ accounts: expected.accounts, skipped: expected.skipped });
  // Every skipped entry says why in a sentence, not only a code.
  for (const skipped of source.skipped) expect(skipped.message.length).toBeGreaterThan(10);
  return source;
}

/** The ChronokeyError an action rejects with (anything else fails the test). */
export async function rejection(action: Promise<unknown>): Promise<ChronokeyError> {
  try {
    await action;
  } catch (error) {
    if (error instanceof ChronokeyError) return error;
    throw error;
  }
  throw new Error('expected a ChronokeyError');
}

/** Every sample file (not the expectations) under the four apps' fixture folders. */
export function allSamples(): string[] {
  return ['aegis', '2fas', 'bitwarden', 'freeotp-plus'].flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .filter((file) => !file.endsWith('.expected.json'))
      .map((file) => `${folder}/${file}`),
  );
}

/**
 * Feeds arbitrary JSON shaped roughly like the format (and arbitrary text) to detect,
 * isEncrypted and decode: nothing but a ChronokeyError may come out.
 */
export async function expectOnlyChronokeyErrors(
  format: ImportFormat,
  shaped: fc.Arbitrary<unknown>,
  runs = 300,
): Promise<void> {
  const check = async (input: SniffedInput) => {
    try {
      format.detect(input);
      format.isEncrypted(input);
      const source = await format.decode(input, { password: 'fuzz' });
      expect(Array.isArray(source.entries)).toBe(true);
    } catch (error) {
      if (!(error instanceof ChronokeyError)) throw error;
      expect(error.message.length).toBeGreaterThan(0);
    }
  };
  await fc.assert(
    fc.asyncProperty(shaped, async (value) => check(sniffJson('fuzz.json', value))),
    { numRuns: runs },
  );
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (text) =>
      check(sniffText('fuzz.txt', text)),
    ),
    { numRuns: 100 },
  );
}

/** Values for a field: mostly plausible, sometimes any JSON. */
export function field<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: fc.jsonValue() });
}

export const base32Secret = fc
  .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), { minLength: 0, maxLength: 40 })
  .map((characters) => characters.join(''));
