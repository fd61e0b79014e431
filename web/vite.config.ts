import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorker } from './src/modules/assessment-form/sw-plugin';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

/**
 * Writes a .br (brotli, best) and a .gz (gzip, best) beside every text file of the build, once, so
 * the server sends them as they are (@fastify/static preCompressed, src/app.ts) instead of gzipping
 * each answer on the fly at a lower level (issue 14: brotli is ~15 % smaller than gzip on the bundle).
 */
function precompress(): Plugin {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
  let dir = outDir;
  return {
    name: 'yiyang-precompress',
    apply: 'build',
    configResolved(config) {
      dir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|svg|json|txt)$/.test(file)) continue;
        const body = readFileSync(file);
        if (body.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

type ChunkingContext = { getModuleInfo: (id: string) => { importedIds: readonly string[] } | null };

/** The antd components and icons the sources of `pages` import, and of the console's own modules they import. */
function antdUsedBy(ctx: ChunkingContext, pages: string[]): Set<string> {
  const used = new Set<string>(['antd/es/config-provider', 'antd/es/app', 'antd/es/theme', 'antd/es/locale']);
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id) || id.includes('node_modules') || !/\.tsx?$/.test(id)) return;
    seen.add(id);
    for (const m of readFileSync(id, 'utf8').matchAll(/import\s+\{([^}]*)\}\s+from\s+'(antd|@ant-design\/icons)'/g)) {
      for (const spec of m[1]!.split(',')) {
        const name = spec
          .trim()
          .replace(/^type\s+.*/, '')
          .split(/\s+as\s+/)[0]!
          .trim();
        if (!/^[A-Z]/.test(name)) continue;
        used.add(m[2] === 'antd' ? `antd/es/${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}` : `@ant-design/icons/es/icons/${name}`);
      }
    }
    for (const dep of ctx.getModuleInfo(id)?.importedIds ?? []) walk(dep);
  };
  for (const page of pages) walk(resolve(root, page));
  return used;
}

/**
 * The antd a phone's first pages need, in few chunks (issue 14): left to the bundler it comes as ~30
 * small chunks, and on a slow line each request pays its latency (Fast 3G: 562 ms, six at a time).
 * What both the first page after login (antd's frame, the console's frame, the workbench) and the
 * public self-check use is `antd-base`; the rest of each is `antd-console` and `antd-self-check`.
 * Read from the pages' sources (graph reachability cannot tell: antd's index imports every
 * component); each group takes the libraries under its components too. Other pages' antd parts stay
 * in chunks of their own.
 */
const CONSOLE_PAGES = ['src/shared/antd-frame.tsx', 'src/layout.tsx', 'src/modules/shell/home.tsx'];
const SELF_CHECK_PAGES = ['src/shared/antd-frame.tsx', 'src/modules/self-check/self-check.tsx'];
let antdGroups: Map<string, 'antd-base' | 'antd-console' | 'antd-self-check'> | undefined;
function antdGroup(id: string, ctx: ChunkingContext): string | null {
  if (!antdGroups) {
    const consoleUses = antdUsedBy(ctx, CONSOLE_PAGES);
    const selfCheckUses = antdUsedBy(ctx, SELF_CHECK_PAGES);
    antdGroups = new Map();
    for (const c of consoleUses) antdGroups.set(c, selfCheckUses.has(c) ? 'antd-base' : 'antd-console');
    for (const c of selfCheckUses) if (!consoleUses.has(c)) antdGroups.set(c, 'antd-self-check');
  }
  const m = /node_modules[\\/](antd[\\/]es[\\/][^\\/]+|@ant-design[\\/]icons[\\/]es[\\/]icons[\\/][^\\/.]+)/.exec(id);
  return m ? (antdGroups.get(m[1]!.replace(/\\/g, '/')) ?? null) : null;
}

export default defineConfig({
  root,
  plugins: [react(), serviceWorker(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // Every page is a React.lazy chunk (issue 14: the cold load on a phone); the login page needs no
    // antd (shared/antd-frame.tsx is its chunk). The largest chunk is the workbench's charts (echarts
    // core with bar and line, ~570 kB), fetched after its to-dos.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React, the router and TanStack Query: the login page's libraries, one chunk that outlives app releases
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack[\\/][^\\/]+|cookie|set-cookie-parser)[\\/]/,
              priority: 3,
            },
            // every module's strings but the shell's (the login page's), fetched with antd's frame: one
            // request, not one per module (web/src/modules/index.ts loadMessages)
            { name: 'messages', test: /web[\\/]src[\\/]modules[\\/](?!shell[\\/])[^\\/]+[\\/]messages\.ts$/, priority: 3 },
            // antd's shared part first, so that it takes the libraries under it (rc-*, cssinjs, dayjs)
            { name: (id: string, ctx: ChunkingContext) => (antdGroup(id, ctx) === 'antd-base' ? 'antd-base' : null), test: /node_modules[\\/]/, priority: 2 },
            {
              name: (id: string, ctx: ChunkingContext) => (antdGroup(id, ctx) === 'antd-console' ? 'antd-console' : null),
              test: /node_modules[\\/]/,
              priority: 1,
            },
            {
              name: (id: string, ctx: ChunkingContext) => (antdGroup(id, ctx) === 'antd-self-check' ? 'antd-self-check' : null),
              test: /node_modules[\\/]/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
