import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Vite 8 compiles TSX itself (oxc), so no React plugin is needed for the build.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: Electron loads dist/index.html from file://, and the headless
  // control server serves the same files under its own path.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      // radix-ui marks its modules "use client" (for React Server Components); meaningless
      // in a client-only bundle, and one warning per module drowns real ones.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  // The contract (../proxy-core/contract) sits outside the root and must stay servable.
  server: { fs: { allow: ['..'] } },
});
