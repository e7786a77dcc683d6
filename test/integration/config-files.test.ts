// loadConfig / saveConfig on real files in a temp dir.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, configPathIn, loadConfig, saveConfig } from '../../proxy-core/config/index.js';
import { ConfigSchema, type ConfigInput } from '../../proxy-core/contract/index.js';

const EXAMPLE: ConfigInput = {
  http: { port: 80 },
  https: { port: 443 },
  routes: [
    { host: 'shop.localhost', target: 'http://127.0.0.1:3000' },
    { host: '*.shop.localhost', pathPrefix: '/api', targets: ['http://127.0.0.1:4000', 'http://127.0.0.1:4001'] },
  ],
};

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portico-config-'));
  file = configPathIn(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(path: string): Promise<ConfigError> {
  const error: unknown = await loadConfig(path).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfig', () => {
  it('gives the defaults when the file does not exist yet (first run)', async () => {
    expect(await loadConfig(join(dir, 'not-there', 'config.json'))).toEqual(ConfigSchema.parse({}));
  });

  it('loads the example config', async () => {
    await writeFile(file, JSON.stringify(EXAMPLE));
    const config = await loadConfig(file);
    expect(config.routes.map((r) => r.host)).toEqual(['shop.localhost', '*.shop.localhost']);
    expect(config.http).toEqual({ port: 80, host: '127.0.0.1' });
  });

  it('reports broken JSON with the file, line and column', async () => {
    await writeFile(file, '{\n  "routes": [\n    { "host": "shop.localhost", "target": "http://127.0.0.1:3000" },\n  ]\n}\n');
    const error = await loadError(file);
    expect(error.message).toBe(`Invalid config in ${file}:\n  line 3, column 68: not valid JSON: trailing comma: remove the "," before "]"`);
  });

  it('reports schema problems with the file and the field', async () => {
    await writeFile(file, JSON.stringify({ routes: [{ host: 'shop.localhost', target: 'ftp://x' }] }));
    const error = await loadError(file);
    expect(error.issues).toEqual(['routes[0].target: must be an http:// or https:// URL such as "http://127.0.0.1:3000" (got "ftp://x")']);
  });

  it('reports a path it cannot read as a ConfigError, not as defaults', async () => {
    await mkdir(file);
    const error = await loadError(file);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^cannot read the file: EISDIR/);
  });
});

describe('saveConfig', () => {
  it('creates the directory and writes pretty JSON with a trailing newline', async () => {
    const nested = join(dir, 'a', 'b', 'config.json');
    await saveConfig(nested, EXAMPLE);
    expect(await readFile(nested, 'utf8')).toBe(`${JSON.stringify(EXAMPLE, null, 2)}\n`);
    expect(await loadConfig(nested)).toEqual(ConfigSchema.parse(EXAMPLE));
  });

  it('writes the config as given, without filling in defaults', async () => {
    await saveConfig(file, { routes: [] });
    expect(await readFile(file, 'utf8')).toBe('{\n  "routes": []\n}\n');
  });

  it('refuses an invalid config and leaves the old file as it was', async () => {
    await saveConfig(file, EXAMPLE);
    const before = await readFile(file, 'utf8');
    const bad = { routes: [{ host: 'shop.localhost:3000', target: 'http://127.0.0.1:3000' }] };
    await expect(saveConfig(file, bad)).rejects.toThrow(ConfigError);
    await expect(saveConfig(file, bad)).rejects.toThrow(`Invalid config in ${file}:\n  routes[0].host: must be a bare host name`);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('leaves no temporary files behind', async () => {
    for (let i = 0; i < 5; i++) await saveConfig(file, { http: { port: 8000 + i } });
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('applies concurrent saves in call order: the last call wins', async () => {
    const fresh = join(dir, 'new-dir', 'config.json'); // the mkdir before the write must not reorder them
    const ports = Array.from({ length: 20 }, (_, i) => 8000 + i);
    await Promise.all(ports.map((port) => saveConfig(fresh, { http: { port } })));
    expect((await loadConfig(fresh)).http.port).toBe(8019);
  });

  it('writes what the config was when saveConfig was called', async () => {
    const config = { http: { port: 8080 } };
    const saved = saveConfig(file, config);
    config.http.port = 9090;
    await saved;
    expect((await loadConfig(file)).http.port).toBe(8080);
  });

  it('a failed save does not block the next one to the same file', async () => {
    const parent = join(dir, 'sub');
    await writeFile(parent, 'a file where the directory should be');
    const target = join(parent, 'config.json');
    await expect(saveConfig(target, {})).rejects.toThrow(/EEXIST|ENOTDIR/);
    await rm(parent);
    await saveConfig(target, { routes: [] });
    expect((await loadConfig(target)).routes).toEqual([]);
  });
});
