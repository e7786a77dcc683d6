// Where the config lives: the OS data folder for "Portico", or $PORTICO_DATA_DIR.
import { join, resolve, sep } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configPathIn, defaultDataDir } from '../../proxy-core/config/index.js';

describe('data dir', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is the OS application-data folder named "Portico", without env-paths\' "-nodejs" suffix', () => {
    vi.stubEnv('PORTICO_DATA_DIR', '');
    const dir = defaultDataDir();
    expect(dir.split(sep)).toContain('Portico');
    expect(dir).not.toMatch(/nodejs/i);
  });

  it('follows XDG_DATA_HOME on Linux', () => {
    if (process.platform !== 'linux') return;
    vi.stubEnv('PORTICO_DATA_DIR', '');
    vi.stubEnv('XDG_DATA_HOME', '/srv/xdg-data');
    expect(defaultDataDir()).toBe('/srv/xdg-data/Portico');
  });

  it('is PORTICO_DATA_DIR when set, made absolute', () => {
    vi.stubEnv('PORTICO_DATA_DIR', 'relative/portico-data');
    expect(defaultDataDir()).toBe(resolve('relative/portico-data'));
  });

  it('holds config.json', () => {
    expect(configPathIn('/data/portico')).toBe(join('/data/portico', 'config.json'));
  });
});
