// Builds the console (web/dist) when it is missing or older than its sources; silent otherwise.
// Runs before `npm start` and `npm test`, so a fresh checkout serves a current console.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(repo, 'web');
const built = join(web, 'dist', 'index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = Math.max(newest(join(web, 'src')), newest(join(web, 'index.html')), newest(join(web, 'vite.config.ts')));
if (existsSync(built) && statSync(built).mtimeMs >= sources) process.exit(0);

const vite = join(repo, 'node_modules', '.bin', process.platform === 'win32' ? 'vite.cmd' : 'vite');
// NODE_ENV=production whoever asks: under Vitest (NODE_ENV=test) vite would otherwise bundle React's
// development build (twice the size, slower), and `npm start` would then serve it (issue 14)
const result = spawnSync(vite, ['build', '--config', join('web', 'vite.config.ts')], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.error) {
  console.error(`ensure-web: could not run vite: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
