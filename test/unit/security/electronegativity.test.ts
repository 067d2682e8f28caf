import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TARGETS, acceptedFindings, scan, unexplained } from '../../../scripts/security-scan.mjs';

/**
 * electronegativity over Chronokey's code (`npm run security` runs the same before the unit
 * tests): no finding above informational that docs/security.md does not explain.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const accepted = acceptedFindings(readFileSync(path.join(root, 'docs/security.md'), 'utf8'));
const work = mkdtempSync(path.join(tmpdir(), 'chronokey-scan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electronegativity', () => {
  it.each(TARGETS)('finds nothing unexplained in $input/', async ({ input, exclude }) => {
    const { checks, errors, issues } = await scan(input, { exclude });
    expect(checks).toBeGreaterThan(30);
    expect(errors).toEqual([]);
    expect(unexplained(issues, accepted)).toEqual([]);
  });

  it('explains each accepted finding, and every one of them still occurs', async () => {
    expect(accepted.length).toBeGreaterThan(0);
    for (const row of accepted) expect(row.why.length, row.id).toBeGreaterThan(40);
    const { issues } = await scan('main');
    for (const row of accepted) {
      // A stale row would silently excuse a future finding of the same kind.
      expect(
        issues.some((issue) => issue.id === row.id && issue.file === row.file),
        `${row.id} ${row.file}`,
      ).toBe(true);
    }
  });

  it('would catch the classic mistakes (the scan has teeth)', async () => {
    const dir = path.join(work, 'bad-app');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'index.js'),
      [
        "const { app, BrowserWindow } = require('electron');",
        'app.whenReady().then(() => {',
        '  const win = new BrowserWindow({',
        '    webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false },',
        '  });',
        "  win.loadURL('http://example.com');",
        '});',
      ].join('\n'),
    );
    const { issues } = await scan(dir);
    const ids = unexplained(issues, accepted).map((issue) => issue.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'HTTP_RESOURCES_JS_CHECK',
        'CONTEXT_ISOLATION_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'SANDBOX_JS_CHECK',
      ]),
    );
  });

  it('reads only explained rows of the “Scanner findings” table', () => {
    const rows = acceptedFindings(
      [
        '## Other',
        '| `X_CHECK` | `a.ts` | not in the right section |',
        '## Scanner findings',
        '| Check | File | Why |',
        '|---|---|---|',
        '| `A_CHECK` | `main/a.ts` | Because it is fine. |',
        '| `B_CHECK` | `main/b.ts` |  |',
      ].join('\n'),
    );
    expect(rows).toEqual([{ id: 'A_CHECK', file: 'main/a.ts', why: 'Because it is fine.' }]);
    const finding = {
      id: 'A_CHECK',
      severity: 2,
      severityName: 'MEDIUM',
      confidence: 'FIRM',
      file: 'main/a.ts',
      line: 1,
      description: '',
    };
    expect(unexplained([finding], rows)).toEqual([]);
    expect(unexplained([{ ...finding, file: 'main/c.ts' }], rows)).toHaveLength(1);
    expect(unexplained([{ ...finding, file: 'main/c.ts', severity: 0 }], rows)).toEqual([]);
  });
});
