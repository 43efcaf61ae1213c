import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: { alias: { '@shared': resolve(root, 'src/shared') } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts', 'test-support/**/*.test.ts'],
    environment: 'node',
    // Real SQLite files and a real PostgreSQL: give slow machines room.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
