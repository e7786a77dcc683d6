// `portico` as a user meets it: help, version, and every way to get the command line or
// the config wrong → one clear message on stderr and the right exit code (2 usage, 1 runtime).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'out/proxy-core/cli/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portico-cli-usage-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the built CLI to completion (killed after 10 s: every case here should exit by itself). */
function portico(args: string[], options: { wrap?: string[] } = {}): Promise<Run> {
  const command = [...(options.wrap ?? []), process.execPath, MAIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, PORTICO_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure as the CLI promises it: one line on stderr, no stack trace, nothing on stdout. */
function expectOneLineError(run: Run, code: number): string {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^portico: [^\n]+\n$/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return run.stderr;
}

describe('help and version', () => {
  it('--help lists the serve command and exits 0', async () => {
    const run = await portico(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('portico serve');
    expect(run.stderr).toBe('');
  });

  it('`help serve` and `serve --help` print the serve options', async () => {
    const [viaHelp, viaFlag, viaShort] = await Promise.all([portico(['help', 'serve']), portico(['serve', '--help']), portico(['serve', '-h'])]);
    for (const run of [viaHelp, viaFlag, viaShort]) {
      expect(run.code).toBe(0);
      for (const flag of ['--config', '--data-dir', '--http-port', '--https-port', '--control-port', '--route']) {
        expect(run.stdout).toContain(flag);
      }
    }
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
    expect(viaShort.stdout).toBe(viaHelp.stdout);
    // The default data dir shown is the one in force (here: PORTICO_DATA_DIR).
    expect(viaHelp.stdout).toContain(dataDir);
  });

  it('--version prints package.json version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await portico(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('no command prints the help on stderr and exits 2', async () => {
    const run = await portico([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('portico serve');
  });
});

describe('usage errors exit 2 with one line naming the problem', () => {
  it('unknown command, with a suggestion', async () => {
    const line = expectOneLineError(await portico(['srve']), 2);
    expect(line).toContain('unknown command "srve"');
    expect(line).toContain('did you mean "serve"?');
  });

  it('unknown top-level option', async () => {
    expect(expectOneLineError(await portico(['--verbose']), 2)).toContain('--verbose');
  });

  it('unknown serve flag is named', async () => {
    const line = expectOneLineError(await portico(['serve', '--bogus']), 2);
    expect(line).toContain('unknown option --bogus');
    expect(line).toContain('portico serve --help');
  });

  it('a misspelt flag gets a suggestion', async () => {
    expect(expectOneLineError(await portico(['serve', '--htp-port', '8080']), 2)).toContain('did you mean --http-port?');
  });

  it('a flag without its value', async () => {
    expect(expectOneLineError(await portico(['serve', '--http-port']), 2)).toContain('--http-port needs a value');
    expect(expectOneLineError(await portico(['serve', '--http-port', '--route', 'a.localhost=http://x']), 2)).toContain('--http-port needs a value');
  });

  it('a stray argument', async () => {
    expect(expectOneLineError(await portico(['serve', 'app.localhost']), 2)).toContain('serve takes no arguments (got "app.localhost")');
  });

  it.each([
    ['--http-port', 'abc'],
    ['--http-port', '70000'],
    ['--http-port', '-1'],
    ['--https-port', '1.5'],
    ['--control-port', ''],
  ])('%s %j is not a port', async (flag, value) => {
    const line = expectOneLineError(await portico(['serve', flag, value]), 2);
    expect(line).toContain(`${flag} must be a port number from 0 to 65535`);
    expect(line).toContain(`(got "${value}")`);
  });

  it('--route without "=" shows the expected shape', async () => {
    const line = expectOneLineError(await portico(['serve', '--route', 'nohost']), 2);
    expect(line).toContain('--route "nohost" must look like HOST=URL');
  });

  it('--route with a bad host names the host and the value', async () => {
    const line = expectOneLineError(await portico(['serve', '--route', 'bad_host=http://127.0.0.1:3000']), 2);
    expect(line).toContain('--route "bad_host=http://127.0.0.1:3000": host must be a host name');
    expect(line).toContain('(got "bad_host")');
  });

  it('--route with a bad URL names the URL', async () => {
    const line = expectOneLineError(await portico(['serve', '--route', 'app.localhost=localhost:3000']), 2);
    expect(line).toContain('URL must be an http:// or https:// URL');
    expect(line).toContain('(got "localhost:3000")');
  });

  it('the same host and path in two --route flags', async () => {
    const run = await portico(['serve', '--route', 'app.localhost=http://127.0.0.1:3000', '--route', 'APP.localhost/=http://127.0.0.1:3001']);
    const line = expectOneLineError(run, 2);
    expect(line).toContain('--route "APP.localhost/=http://127.0.0.1:3001" repeats the host and path of --route "app.localhost=http://127.0.0.1:3000"');
  });

  it('--route with a bad path prefix names it', async () => {
    const line = expectOneLineError(await portico(['serve', '--route', 'app.localhost/a b=http://127.0.0.1:3000']), 2);
    expect(line).toContain('pathPrefix must start with "/"');
  });
});

describe('runtime failures exit 1', () => {
  it('an invalid config file: the ConfigError block, naming each field and value', async () => {
    const file = join(dataDir, 'bad.json');
    await writeFile(file, JSON.stringify({ http: { port: 'eighty' }, routes: [{ host: 'shop.localhost', target: 'localhost:3000' }] }));
    const run = await portico(['serve', '--config', file, '--http-port', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`portico: Invalid config in ${file}:`);
    expect(run.stderr).toMatch(/^ {2}http\.port: .*\(got "eighty"\)$/m);
    expect(run.stderr).toMatch(/^ {2}routes\[0\]\.target: .*\(got "localhost:3000"\)$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--config naming a file that does not exist', async () => {
    const file = join(dataDir, 'nope.json');
    expect(expectOneLineError(await portico(['serve', '--config', file, '--http-port', '0']), 1)).toContain(`${file} does not exist`);
  });

  it('port in use: names the port and the flag to change it', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const { port } = blocker.address() as AddressInfo;
    try {
      const line = expectOneLineError(await portico(['serve', '--data-dir', dataDir, '--http-port', String(port)]), 1);
      expect(line).toContain(`port ${port} on 127.0.0.1 is already in use — pick another with --http-port`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  // Needs a root runner that can drop to "nobody" (CI runs as root), on a kernel where
  // port 80 is still privileged.
  const canDropPrivileges =
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    existsSync('/usr/bin/setpriv') &&
    Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) > 80;
  it.skipIf(!canDropPrivileges)('a low port without privileges: says why and suggests --http-port 8080', async () => {
    // "nobody" must be able to read the config and create the CA in its data dir.
    const nobodysDir = await mkdtemp(join(tmpdir(), 'portico-nobody-'));
    await chmod(nobodysDir, 0o755);
    await chown(nobodysDir, 65534, 65534);
    const run = await portico(['serve', '--data-dir', nobodysDir, '--http-port', '80', '--https-port', '0'], {
      wrap: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    });
    const line = expectOneLineError(run, 1);
    expect(line).toContain('permission denied for port 80 on 127.0.0.1');
    expect(line).toContain('--http-port 8080');
    await rm(nobodysDir, { recursive: true, force: true });
  });
});
