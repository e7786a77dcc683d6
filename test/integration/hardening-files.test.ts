// Config and key files a crash or a careless copy can damage: a config that is not JSON is
// kept aside and the defaults run (serve and the service say where it went); one that is
// JSON but wrong is still refused with its field problems; secrets stay mode 0600.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigOrSetAside, saveConfig, setAsidePath } from '../../proxy-core/config/index.js';
import { ConfigSchema } from '../../proxy-core/contract/index.js';
import { loadOrCreateToken, tokenFile } from '../../proxy-core/control-server/index.js';
import { caFiles, openCertificates } from '../../proxy-core/tls/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';

const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));
const track = closeAfter('each');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portico-hardening-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('a config file that is not JSON', () => {
  it.each([
    ['truncated mid-write', '{ "routes": [ { "host": "shop.localhost", "tar'],
    ['empty', ''],
    ['binary junk', '\u0000\u0000\u0000\u0000'],
  ])('%s: moved aside with its text intact, defaults loaded', async (_name, text) => {
    const file = join(dir, 'config.json');
    await writeFile(file, text);
    const now = new Date('2026-01-02T03:04:05.678Z');

    const { config, setAside } = await loadConfigOrSetAside(file, now);
    expect(config).toEqual(ConfigSchema.parse({}));
    expect(setAside?.file).toBe(join(dir, 'config.corrupt-2026-01-02T03-04-05-678Z.json'));
    expect(setAside?.reason).toMatch(/not valid JSON/);
    expect(await readFile(setAside!.file, 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['config.corrupt-2026-01-02T03-04-05-678Z.json']);
  });

  it('that is JSON but fails the schema: refused with the field, the file left where it is', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '{ "http": { "port": "eighty" } }');
    const error = await loadConfigOrSetAside(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.join('\n')).toContain('http.port');
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('names the aside file after the original, also without a .json extension', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    expect(setAsidePath('/d/portico.json', now)).toBe('/d/portico.corrupt-2026-01-02T03-04-05-678Z.json');
    expect(setAsidePath('/d/config', now)).toBe('/d/config.corrupt-2026-01-02T03-04-05-678Z.json');
  });

  it('portico serve: starts on the defaults, says where the file went, and status reports it', async () => {
    await writeFile(join(dir, 'config.json'), '{ "routes": [');
    const child = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dir, '--http-port', '0', '--https-port', '0', '--control-port', '0']);
    track(child, (c) => c.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Press Ctrl+C')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
    });
    const aside = (await readdir(dir)).find((name) => name.startsWith('config.corrupt-'));
    expect(aside).toMatch(/^config\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    expect(err).toContain(`it is kept as ${join(dir, aside!)}`);
    expect(err).toMatch(/line 1, column \d+: not valid JSON/);

    const [, controlPort, token] = /^UI +http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)$/m.exec(banner)!;
    const status = await request(Number(controlPort), {
      method: 'POST',
      path: '/api/commands/status',
      host: `127.0.0.1:${controlPort}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status, status.body).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ configSetAside: { file: join(dir, aside!), reason: expect.stringContaining('not valid JSON') } });
  });
});

describe('secret files stay 0600', () => {
  it('the CA key, even when a copy or restore left it world-readable', async () => {
    const suffixes = ['localhost'];
    const key = caFiles(dir).key;
    await openCertificates(dir, suffixes);
    expect(await mode(key)).toBe(0o600);
    await chmod(key, 0o644);
    await openCertificates(dir, suffixes); // same root reused
    expect(await mode(key)).toBe(0o600);
    await openCertificates(dir, ['localhost', 'test']); // rotated: a new key
    expect(await mode(key)).toBe(0o600);
  });

  it('leaf keys', async () => {
    const certs = await openCertificates(dir, ['localhost']);
    const leafDir = join(dir, 'certs');
    await new Promise<void>((resolve, reject) => certs.store.sniCallback('shop.localhost', (error) => (error ? reject(error) : resolve())));
    const waitForFiles = async () => {
      for (let i = 0; i < 100 && (await readdir(leafDir).catch(() => [])).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      return readdir(leafDir);
    };
    const files = await waitForFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(await mode(join(leafDir, name))).toBe(0o600);
  });

  it('config.json, which holds password hashes: written 0600 in an existing folder, and a loosened file tightened on save', async () => {
    const file = join(dir, 'config.json'); // dir already exists, as a data dir does after the first run
    await saveConfig(file, { routes: [] });
    expect(await mode(file)).toBe(0o600);
    await chmod(file, 0o644);
    await saveConfig(file, { routes: [{ host: 'shop.localhost', target: 'http://127.0.0.1:3000' }] });
    expect(await mode(file)).toBe(0o600);
  });

  it('the control token, also when the file was loosened', async () => {
    const token = await loadOrCreateToken(dir);
    expect(await mode(tokenFile(dir))).toBe(0o600);
    await chmod(tokenFile(dir), 0o644);
    expect(await loadOrCreateToken(dir)).toBe(token);
    expect(await mode(tokenFile(dir))).toBe(0o600);
  });
});
