import jaunt from 'jaunt-ts/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // First, so the specs are replaced before vite strips the types (the plugin runs with enforce: 'pre').
  plugins: [jaunt()],
  build: {
    ssr: 'src/main.ts',
    outDir: 'out',
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'main.mjs' } },
  },
  test: { include: ['test/**/*.test.ts'] },
});
