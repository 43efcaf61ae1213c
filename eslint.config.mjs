// Lint, including the one-way dependency rules between the layers (see DESIGN.md):
// renderer and main may import shared; nothing imports renderer; the core never
// imports electron; shared imports neither Node, the DOM, React nor electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Bare builtin names must match exactly (a pattern "events" would also match "@shared/api/events").
const nodeBuiltinPaths = (message) => builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message }));

const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared is imported by the other layers, never the reverse.' },
        { group: ['electron', 'electron/*', 'react', 'react-dom', 'better-sqlite3', 'pg', 'ws', 'node:*'], message: 'src/shared is pure TypeScript: no Node, DOM, React or electron.' },
      ], nodeBuiltinPaths('src/shared is pure TypeScript: no Node modules.')),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/preload/**', '@main/*'], message: 'The renderer talks to the core only through src/renderer/api and the contract in src/shared.' },
        { group: ['electron', 'electron/*', 'better-sqlite3', 'pg', 'ws', 'node:*'], message: 'The renderer is sandboxed: no Node or electron modules.' },
      ], nodeBuiltinPaths('The renderer is sandboxed: no Node modules.')),
    },
  },
  {
    // The core: everything in src/main except the Electron shell (index.ts and shell/).
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/shell/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'electron/*'], message: 'The core runs in plain Node too (browser host, CLI): it never imports electron.' },
        { group: ['**/renderer/**', '**/preload/**'], message: 'Nothing imports the renderer or preload.' },
      ]),
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/shell/**/*.ts', 'src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/renderer/**'], message: 'Nothing imports the renderer.' },
      ]),
    },
  },
);
