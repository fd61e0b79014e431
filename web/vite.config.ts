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
    // antd is large; one chunk of ~2 MB is fine for an intranet console.
    chunkSizeWarningLimit: 3000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
