// Which commands `portico run` gives --port/--host flags (servers that ignore PORT), which it
// leaves alone, and why; directly or through the package script they run.
import { describe, expect, it } from 'vitest';
import { portFlags, scriptWords } from '../../proxy-core/cli/run/port-flags.js';
import { packageManagerOf, plan, scriptOf } from '../../proxy-core/cli/run/plan.js';

const PORT = 4321;
const VITE = ['--port', '4321', '--host', '127.0.0.1', '--strictPort'];
const PORT_HOST = ['--port', '4321', '--host', '127.0.0.1'];

describe('portFlags: the command itself', () => {
  it.each([
    ['bare vite serves', ['vite'], VITE],
    ['vite dev', ['vite', 'dev'], VITE],
    ['vite with a root folder', ['vite', './site'], VITE],
    ['vite preview serves', ['vite', 'preview'], VITE],
    ['vite through npx', ['npx', 'vite'], VITE],
    ['vite through npx with npx flags', ['npx', '--yes', 'vite', '--open'], VITE],
    ['vite through pnpm exec', ['pnpm', 'exec', 'vite'], VITE],
    ['vite by path', ['./node_modules/.bin/vite'], VITE],
    ['react-router dev', ['react-router', 'dev'], VITE],
    ['remix vite:dev', ['remix', 'vite:dev'], VITE],
    ['astro dev', ['astro', 'dev'], PORT_HOST],
    ['ng serve', ['ng', 'serve'], PORT_HOST],
    ['webpack serve', ['webpack', 'serve'], PORT_HOST],
    ['webpack-dev-server', ['webpack-dev-server'], PORT_HOST],
    ['nuxt dev', ['nuxt', 'dev'], PORT_HOST],
    ['gatsby develop', ['gatsby', 'develop'], PORT_HOST],
    ['docusaurus start', ['docusaurus', 'start'], PORT_HOST],
  ])('%s gets flags', (_case, argv, flags) => {
    expect(portFlags(argv, PORT)).toMatchObject({ kind: 'flags', flags });
  });

  it.each([
    ['vite build does not serve', ['vite', 'build']],
    ['astro build does not serve', ['astro', 'build']],
    ['ng build does not serve', ['ng', 'build']],
    ['a port the user set stays', ['vite', '--port', '3000']],
    ['a port the user set with = stays', ['vite', '--port=3000']],
  ])('%s: left alone with a note', (_case, argv) => {
    expect(portFlags(argv, PORT)).toMatchObject({ kind: 'left' });
  });

  it.each([
    ['node reads PORT itself', ['node', 'server.js']],
    ['next dev reads PORT', ['next', 'dev']],
    ['an unknown command', ['my-server']],
    ['nothing', []],
  ])('%s: nothing added, nothing said', (_case, argv) => {
    expect(portFlags(argv, PORT)).toEqual({ kind: 'none' });
  });
});

describe('scriptWords: only one plain command is read', () => {
  it.each([
    ['a plain command', 'vite --open', { words: ['vite', '--open'] }],
    ['quotes group words', `vite --base "/my app/"`, { words: ['vite', '--base', '/my app/'] }],
    ['&& chains commands', 'tsc && vite', { why: 'it is not one plain command' }],
    ['a pipe', 'vite | tee log', { why: 'it is not one plain command' }],
    ['a variable', 'vite --port $PORT', { why: 'it is not one plain command' }],
    ['an env prefix', 'NODE_ENV=development vite', { why: 'it starts with environment settings' }],
    ['cross-env', 'cross-env NODE_ENV=development vite', { why: 'it starts with environment settings' }],
  ])('%s', (_case, script, result) => {
    expect(scriptWords(script)).toEqual(result);
  });
});

describe('plan: through a package script', () => {
  const pkg = (dev: string) => ({ scripts: { dev, start: 'vite' } });
  it.each([
    ['npm passes flags to the script after --', ['npm', 'run', 'dev'], pkg('vite'), ['npm', 'run', 'dev', '--', ...VITE]],
    ['npm start', ['npm', 'start'], pkg('node x'), ['npm', 'start', '--', ...VITE]],
    ['pnpm passes them as they are', ['pnpm', 'run', 'dev'], pkg('vite dev'), ['pnpm', 'run', 'dev', ...VITE]],
    ['pnpm with the script as the command', ['pnpm', 'dev'], pkg('astro dev'), ['pnpm', 'dev', ...PORT_HOST]],
    ['yarn', ['yarn', 'dev'], pkg('ng serve'), ['yarn', 'dev', ...PORT_HOST]],
    ['bun run', ['bun', 'run', 'dev'], pkg('vite'), ['bun', 'run', 'dev', ...VITE]],
    ['a script that reads PORT', ['npm', 'run', 'dev'], pkg('node server.js'), ['npm', 'run', 'dev']],
    ['a script that is not there', ['npm', 'run', 'serve'], pkg('vite'), ['npm', 'run', 'serve']],
  ])('%s', (_case, argv, packageJson, planned) => {
    expect(plan(argv, PORT, packageJson).argv).toEqual(planned);
  });

  it.each([
    ['a chained script', 'tsc -b && vite', /not one plain command/],
    ['a script with an env prefix', 'DEBUG=1 vite', /environment settings/],
    ['a build script', 'vite build', /does not serve/],
  ])('%s: left alone, with one line saying why', (_case, dev, why) => {
    const result = plan(['npm', 'run', 'dev'], PORT, pkg(dev));
    expect(result.argv).toEqual(['npm', 'run', 'dev']);
    expect(result.notes).toEqual([expect.stringMatching(why)]);
  });
});

describe('scriptOf and packageManagerOf', () => {
  it.each([
    [['npm', 'run', 'dev'], 'dev'],
    [['npm', 'start'], 'start'],
    [['npm', 'install'], undefined],
    [['yarn', 'dev'], 'dev'],
    [['bun', 'dev'], undefined], // bun's own subcommands and files come first: only `bun run` is read
    [['node', 'dev'], undefined],
  ])('%j runs script %j', (argv, script) => {
    expect(scriptOf(argv)).toBe(script);
  });

  it.each([
    [{}, 'pnpm-lock.yaml', 'pnpm'],
    [{}, 'yarn.lock', 'yarn'],
    [{}, 'bun.lockb', 'bun'],
    [{}, 'package-lock.json', 'npm'],
    [{}, undefined, 'npm'],
    [{ packageManager: 'pnpm@9.1.0' }, 'package-lock.json', 'pnpm'],
  ])('%j with %s → %s', (pkg, lockfile, manager) => {
    expect(packageManagerOf(pkg, lockfile)).toBe(manager);
  });
});
