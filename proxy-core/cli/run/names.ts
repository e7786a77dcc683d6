// What `portico run` calls the app: its host name, from the first source that gives one.
// Pure functions over what was read from disk, so the rules have a table of tests.

/** What a package.json or portico.json may say about Portico. */
export interface ProjectSettings {
  name?: string;
  script?: string;
}

export interface NameSources {
  /** --name */
  flag?: string | undefined;
  /** package.json, parsed (anything: it is the user's file). */
  packageJson?: unknown;
  /** portico.json beside it, parsed. */
  porticoJson?: unknown;
  /** The project folder's base name. */
  folder: string;
}

export interface InferredName {
  /** Dot-separated DNS labels, without the .localhost suffix. */
  name: string;
  /** Where it came from, for the start-up line. */
  from: '--name' | 'package.json "portico"' | 'portico.json' | 'package.json name' | 'folder name';
}

const MAX_LABEL = 63;

/**
 * One valid DNS label (RFC 1123): lowercase letters, digits and inner hyphens, at most 63
 * characters. Accents lose their marks, anything else becomes a hyphen. Empty when
 * nothing usable is left.
 */
export function dnsLabel(raw: string): string {
  const ascii = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const label = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_LABEL)
    .replace(/-+$/, '');
  return label;
}

/** A dotted name ("api.shop"), each label normalised, empty ones dropped; a typed ".localhost" is taken off. */
export function dnsName(raw: string): string {
  return raw
    .trim()
    .replace(/\.localhost\.?$/i, '')
    .split('.')
    .map(dnsLabel)
    .filter((label) => label !== '')
    .join('.');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** package.json's "portico" key: "shop" or { "name": "shop", "script": "dev" }. */
export function packagePortico(packageJson: unknown): ProjectSettings {
  if (!isRecord(packageJson)) return {};
  const key = packageJson.portico;
  if (typeof key === 'string') return { name: key };
  return settingsOf(key);
}

/** portico.json's own name and script (its "apps" are for the monorepo root). */
export function settingsOf(value: unknown): ProjectSettings {
  if (!isRecord(value)) return {};
  const settings: ProjectSettings = {};
  if (typeof value.name === 'string') settings.name = value.name;
  if (typeof value.script === 'string') settings.script = value.script;
  return settings;
}

/** "@acme/shop-web" → "shop-web". */
export function unscoped(packageName: string): string {
  return packageName.replace(/^@[^/]*\//, '');
}

/** The first source, in order, that yields a non-empty DNS name. */
export function inferName(sources: NameSources): InferredName {
  const pkg = isRecord(sources.packageJson) ? sources.packageJson : {};
  const candidates: [string | undefined, InferredName['from']][] = [
    [sources.flag, '--name'],
    [packagePortico(sources.packageJson).name, 'package.json "portico"'],
    [settingsOf(sources.porticoJson).name, 'portico.json'],
    [typeof pkg.name === 'string' ? unscoped(pkg.name) : undefined, 'package.json name'],
    [sources.folder, 'folder name'],
  ];
  for (const [raw, from] of candidates) {
    if (raw === undefined) continue;
    const name = dnsName(raw);
    if (name !== '') return { name, from };
  }
  return { name: 'app', from: 'folder name' };
}

/** The script a bare `portico run` runs: package.json's "portico".script, portico.json's, else "dev". */
export function devScript(packageJson: unknown, porticoJson: unknown): string {
  return packagePortico(packageJson).script ?? settingsOf(porticoJson).script ?? 'dev';
}

/**
 * The host for NAME: `NAME.localhost`, or `BRANCH.NAME.localhost` in a linked git
 * worktree on a branch other than the default one, so two checkouts of one app never
 * claim the same host.
 */
export function hostFor(name: string, worktreeBranch: string | undefined): string {
  const branch = worktreeBranch === undefined ? '' : dnsLabel(worktreeBranch);
  return `${branch ? `${branch}.` : ''}${name}.localhost`;
}
