import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Every page is a React.lazy chunk (issue 14: the cold load on a phone); the largest chunk is
    // the workbench's charts (echarts core with bar and line, ~570 kB), fetched after its to-dos.
    // Grouping the login page's libraries into one chunk (codeSplitting groups) was tried: fewer
    // requests, but no faster on Fast 3G (the time goes to running the code at 4x CPU), and
    // it broke module execution order without strictExecutionOrder. Left to the bundler.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
