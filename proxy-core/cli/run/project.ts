// What `portico run` reads from the project folder: package.json, portico.json, the
// lockfile (found in this folder or above it, as in a workspace).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import { devCommand, LOCKFILES, packageManagerOf } from './plan.js';
import { devScript, inferName, type InferredName } from './names.js';

export interface Project {
  dir: string;
  packageJson: unknown;
  porticoJson: unknown;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readProject(dir: string): Project {
  return { dir, packageJson: readJson(join(dir, 'package.json')), porticoJson: readJson(join(dir, 'portico.json')) };
}

/** The first lockfile in `dir` or a folder above it. */
export function findLockfile(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const found = LOCKFILES.find(([file]) => existsSync(join(current, file)));
    if (found) return found[0];
    if (dirname(current) === current) return undefined;
  }
}

export function projectName(project: Project, flag: string | undefined): InferredName {
  return inferName({ flag, packageJson: project.packageJson, porticoJson: project.porticoJson, folder: basename(project.dir) });
}

/** The bare `portico run`'s command: the dev script through the project's package manager. */
export function projectDevCommand(project: Project): string[] {
  const script = devScript(project.packageJson, project.porticoJson);
  const scripts = (project.packageJson as { scripts?: Record<string, unknown> } | undefined)?.scripts;
  if (project.packageJson === undefined) {
    throw new CliError(`no package.json in ${project.dir}: give the command to run, e.g. portico run -- node server.js`);
  }
  if (typeof scripts?.[script] !== 'string') {
    throw new CliError(`package.json in ${project.dir} has no "${script}" script: add one, or give the command, e.g. portico run -- node server.js`);
  }
  return devCommand(packageManagerOf(project.packageJson, findLockfile(project.dir)), script);
}

/** A monorepo root's apps: portico.json's { "apps": { "apps/web": { "name": "shop" } } }. */
export function projectApps(project: Project): { dir: string; name?: string }[] {
  const apps = (project.porticoJson as { apps?: unknown } | undefined)?.apps;
  if (typeof apps !== 'object' || apps === null || Array.isArray(apps)) return [];
  return Object.entries(apps as Record<string, unknown>).map(([path, settings]) => {
    const name = (settings as { name?: unknown } | null)?.name;
    return { dir: join(project.dir, path), ...(typeof name === 'string' && { name }) };
  });
}
