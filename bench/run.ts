// `npm run bench -- <name> [args]`: runs bench/<name>.ts, which prints its figures
// and ratios as one JSON object on its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('-') && !['run.ts', 'smoke.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [--smoke]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const script = resolve(__dirname, `${name}.ts`);
if (!existsSync(script)) process.exit(2);
const tsx = resolve(__dirname, '../node_modules/.bin/tsx');
const result = spawnSync(tsx, ['--expose-gc', script, ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
