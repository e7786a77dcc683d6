// The version printed by --version and the banner: package.json's, found by walking up
// from this file, so it works from the sources and from out/proxy-core/cli alike.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | undefined;

/** Portico's package.json: its folder and version (the CLI runs from out/cli/ bundled, or from out/proxy-core/cli/). */
function findPackage(): { root: string; version: string } {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'portico' && typeof pkg.version === 'string') return (cached = { root: dir, version: pkg.version });
    } catch {
      // no (readable) package.json here: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = { root: dirname(fileURLToPath(import.meta.url)), version: 'unknown' });
    dir = parent;
  }
}

export const porticoVersion = (): string => findPackage().version;

/** The package's root folder (where renderer/dist lives). */
export const packageRoot = (): string => findPackage().root;
