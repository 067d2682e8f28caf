import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isChronokeyError } from '../../../../shared/errors';
import { importEngines } from '../../../../main/core/import/formats';
import { ImportPipeline } from '../../../../main/core/import/pipeline';
import { imageKind, sniffInput } from '../../../../main/core/import/sniff';
import { findLinks, readLinkText } from '../../../../main/core/import/text-format';
import { decodeMigrationUri } from '../../../../main/core/import/formats/google-migration';
import { stopQrWorkers } from '../../../../main/core/qr';

afterAll(() => stopQrWorkers());

const MAGIC = [
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0xff, 0xd8, 0xff],
  [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50],
  [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
  [0x42, 0x4d],
];

/** Text that often holds link-like pieces, so the link reader's paths are all reached. */
const linkish = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        'otpauth://',
        'otpauth://totp/',
        'otpauth://hotp/x?counter=',
        'otpauth-migration://offline?data=',
        'secret=JBSWY3DPEHPK3PXP',
        '&issuer=',
        '&digits=',
        '&period=',
        '(',
        ')',
        "'",
        '"',
        '&amp;',
        '%3A',
        ':',
        '\n',
        ' ',
        'codeDisplay=%7B%22trashed%22%3Atrue%7D',
      ),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('fuzzing the pipeline: anything in, only ChronokeyErrors or a preview out, quickly', () => {
  it('sniffing never throws for arbitrary bytes under the size bound', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const sniffed = sniffInput({ name: 'x', bytes });
        if (imageKind(bytes) !== null) expect(sniffed.text).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('the link reader finds each link once and turns every bad link into a listed problem', async () => {
    await fc.assert(
      fc.asyncProperty(linkish, async (text) => {
        const links = findLinks(text);
        const { sources, problems } = await readLinkText(text, 'fuzz', decodeMigrationUri);
        const read =
          sources.reduce(
            (sum, source) =>
              sum + (source.format === 'links' ? source.entries.length + source.skipped.length : 1),
            0,
          ) + problems.length;
        expect(read).toBe(links.length);
        for (const problem of problems) expect(problem.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('reading arbitrary files never rejects: every problem is listed with the file name', async () => {
    const pipeline = new ImportPipeline({ engines: importEngines, clock: { now: () => 0 } });
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 1024 }),
      fc
        .tuple(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 512 }))
        .map(([magic, rest]) => new Uint8Array([...magic, ...rest])),
      linkish.map((text) => new TextEncoder().encode(text)),
      fc.json().map((json) => new TextEncoder().encode(json)),
      fc
        .record({ header: fc.anything(), db: fc.anything(), services: fc.anything() })
        .map((json) => new TextEncoder().encode(JSON.stringify(json) ?? '')),
    );
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        try {
          const preview = await pipeline.addInputs(undefined, [{ name: 'fuzz.bin', bytes }], {
            owner: pipeline,
            accounts: [],
          });
          for (const error of preview.errors) expect(error.source).toMatch(/^fuzz\.bin/);
          pipeline.cancel(preview.id);
        } catch (error) {
          expect(isChronokeyError(error), String(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
