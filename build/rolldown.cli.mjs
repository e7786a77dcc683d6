// The `portico` command as a few bundled files (out/cli/portico.js plus one chunk per
// command): Node resolves, reads and compiles a handful of files instead of hundreds,
// which is most of a command's start-up. Each command stays a dynamic import, so
// `portico --version` still loads nothing of the engine.
//
// Dependencies written as CommonJS expect __filename and __dirname: the banner gives
// every chunk its own.
//
// Built-in modules are required rather than imported (builtins-by-require.mjs explains why).
import { builtinsByRequire } from './builtins-by-require.mjs';

export default {
  input: { portico: 'out/proxy-core/cli/main.js' },
  platform: 'node',
  external: [/^node:/],
  logLevel: 'warn',
  plugins: [builtinsByRequire()],
  output: {
    dir: 'out/cli',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // V8 keeps every loaded file's source in memory for as long as the process runs, and
    // one non-ASCII character (a dash in a comment) doubles a whole file's size there: the
    // bundle carries no comments, and escapes what non-ASCII remains in code.
    comments: false,
    charset: 'ascii',
    banner:
      "import { fileURLToPath as __porticoPath } from 'node:url'; const __filename = __porticoPath(import.meta.url); const __dirname = __porticoPath(new URL('.', import.meta.url));",
  },
};
