// Where Portico keeps its files.
import { join, resolve } from 'node:path';
import envPaths from 'env-paths';

/**
 * The OS application-data folder for Portico (~/.local/share/Portico,
 * ~/Library/Application Support/Portico, %LOCALAPPDATA%\Portico\Data), or
 * $PORTICO_DATA_DIR when set — tests and side-by-side installs point it elsewhere.
 * env-paths' default "-nodejs" suffix is for libraries avoiding clashes with native apps;
 * Portico is the app, so it takes the plain name.
 */
export function defaultDataDir(): string {
  const override = process.env['PORTICO_DATA_DIR'];
  if (override) return resolve(override);
  return envPaths('Portico', { suffix: '' }).data;
}

export function configPathIn(dataDir: string): string {
  return join(dataDir, 'config.json');
}
