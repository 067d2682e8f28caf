// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Every way to name a Node built-in: 'fs', 'node:fs', 'fs/promises'.
const nodeBuiltins = builtinModules.flatMap((name) => [
  name,
  `${name}/*`,
  `node:${name}`,
  `node:${name}/*`,
]);

/** Layering: code is sorted by where it may run (see docs and CONVENTIONS.md). */
const layering = [
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Relative imports (./domain) are shared/ files, never Node built-ins.
              group: [...nodeBuiltins, 'electron', 'electron/*', '!./*'],
              message: 'shared/ runs everywhere: no Node or Electron imports.',
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/test/**'],
              message: 'shared/ imports only shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'main/core is pure Node: Electron belongs in main/shell behind a port.',
            },
            {
              group: ['**/shell/**', '**/preload/**', '**/cli/**', '**/renderer/**'],
              message: 'main/core must not depend on its callers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Node's `domain` module shares its name with shared/domain.ts: allow the latter.
              group: [...nodeBuiltins, 'electron', 'electron/*', 'keytar', '!**/shared/**'],
              message: 'The renderer is sandboxed: it talks to main only through window.chronokey.',
            },
            { group: ['**/main/**', '**/test/**'], message: 'renderer/ imports only shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', '**/shell/**'],
              message: 'The CLI runs without Electron.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/fixtures/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-default-export': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The renderer runs in a sandboxed browser page, not in Node.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layering,
);
