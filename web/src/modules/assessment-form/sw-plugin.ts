import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Writes the service worker (sw.template.js) into the build as /sw.js with the build's files to
 * cache and a version derived from them (issue 15: the assessment form offline). A new build has a
 * new sw.js, which the browser installs and which drops the previous build's cache. The .br/.gz
 * copies (written after the bundle) are not listed: the browser asks for the plain names.
 */
export function serviceWorker(): Plugin {
  const template = fileURLToPath(new URL('./sw.template.js', import.meta.url));
  return {
    name: 'yiyang-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => /\.(js|css|woff2?|ttf|svg)$/.test(f) && !f.endsWith('.map'))
        .sort()
        .map((f) => `/${f}`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(template, 'utf8')
        .replace("const VERSION = '__VERSION__';", `const VERSION = ${JSON.stringify(version)};`)
        .replace('const FILES = __FILES__;', `const FILES = ${JSON.stringify(files)};`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
