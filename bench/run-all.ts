import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs every benchmark in turn, each in its own process so each reports its own peak RSS.
 * Extra arguments are passed to every program (e.g. `npm run bench -- --elders 100000`), except
 * `--sample N`, which only entitlements.ts takes.
 */
const here = dirname(fileURLToPath(import.meta.url));
const programs = ['import.ts', 'search.ts', 'entitlements.ts', 'indicators.ts'];
const args = process.argv.slice(2);

/** The arguments for one program: `--sample N` / `--sample=N` go to entitlements.ts only. */
function argsFor(file: string): string[] {
  if (file === 'entitlements.ts') return args;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--sample') {
      i++;
      continue;
    }
    if (args[i]!.startsWith('--sample=')) continue;
    out.push(args[i]!);
  }
  return out;
}

function run(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // tsx as a loader of this same node binary: no npx, no shell
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, file), ...argsFor(file)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let failures = 0;
for (const p of programs) {
  console.log(`\n======== bench/${p} ========\n`);
  const t0 = performance.now();
  const code = await run(p);
  console.log(`\n======== bench/${p} finished in ${((performance.now() - t0) / 1000).toFixed(0)} s, exit code ${code} ========`);
  if (code !== 0) failures++;
}
process.exit(failures ? 1 : 0);
