import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Proves the layering rules fire: a wrong import fails `npm run lint`, and so `npm test`. */
const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('layering lint rules', () => {
  it.each([
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;"],
    ['shared/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;"],
    ['shared/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    [
      'shared/x.ts',
      "import { createHandlers } from '../main/core/handlers';\nexport const a = createHandlers;",
    ],
    ['main/core/x.ts', "import { clipboard } from 'electron';\nexport const a = clipboard;"],
    [
      'main/core/x.ts',
      "import { registerIpcHandlers } from '../shell/ipc';\nexport const a = registerIpcHandlers;",
    ],
    ['renderer/src/x.ts', "import path from 'node:path';\nexport const a = path;"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    [
      'renderer/src/x.ts',
      "import { VaultSession } from '../../main/core/session';\nexport const a = VaultSession;",
    ],
    ['main/cli/x.ts', "import { BrowserWindow } from 'electron';\nexport const a = BrowserWindow;"],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toHaveLength(1);
  });

  it.each([
    ['shared/x.ts', "import { z } from 'zod';\nexport const a = z;"],
    [
      'main/core/x.ts',
      "import fs from 'node:fs';\nimport { contract } from '../../shared/contract';\nexport const a = [fs, contract];",
    ],
    [
      'renderer/src/x.ts',
      "import { contract } from '../../shared/contract';\nexport const a = contract;",
    ],
    ['main/shell/x.ts', "import { app } from 'electron';\nexport const a = app;"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});
