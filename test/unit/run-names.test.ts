// `portico run`'s host names: which source names the app, and how any text becomes DNS labels.
import { describe, expect, it } from 'vitest';
import { devScript, dnsLabel, dnsName, hostFor, inferName } from '../../proxy-core/cli/run/names.js';

describe('dnsLabel', () => {
  it.each([
    ['already a label', 'shop', 'shop'],
    ['uppercase is lowered', 'MyApp', 'myapp'],
    ['spaces and underscores become hyphens', 'my cool_app', 'my-cool-app'],
    ['runs of other characters become one hyphen', 'shop!!!web', 'shop-web'],
    ['no hyphen at either end', '--shop--', 'shop'],
    ['accents lose their marks', 'Café Crème', 'cafe-creme'],
    ['a branch with a slash', 'feature/Login-page', 'feature-login-page'],
    ['a dot is not kept inside one label', 'v1.2', 'v1-2'],
    ['nothing usable left', '日本', ''],
    ['at most 63 characters, no trailing hyphen after the cut', `${'a'.repeat(62)}-b`, 'a'.repeat(62)],
  ])('%s: %j → %j', (_case, raw, label) => {
    expect(dnsLabel(raw)).toBe(label);
  });
});

describe('dnsName', () => {
  it.each([
    ['dots separate labels', 'api.shop', 'api.shop'],
    ['each label normalised', 'API.My Shop', 'api.my-shop'],
    ['empty labels dropped', 'api..shop.', 'api.shop'],
    ['a typed .localhost is taken off', 'shop.localhost', 'shop'],
  ])('%s: %j → %j', (_case, raw, name) => {
    expect(dnsName(raw)).toBe(name);
  });
});

describe('inferName', () => {
  const folder = 'my-folder';
  it.each([
    ['--name wins over everything', { flag: 'Cli', packageJson: { name: 'pkg', portico: 'key' }, porticoJson: { name: 'file' }, folder }, 'cli', '--name'],
    [
      'package.json "portico" as a string',
      { packageJson: { name: 'pkg', portico: 'Shop' }, porticoJson: { name: 'file' }, folder },
      'shop',
      'package.json "portico"',
    ],
    [
      'package.json "portico" as an object',
      { packageJson: { name: 'pkg', portico: { name: 'shop', script: 'start' } }, folder },
      'shop',
      'package.json "portico"',
    ],
    ['portico.json beside package.json', { packageJson: { name: 'pkg' }, porticoJson: { name: 'file' }, folder }, 'file', 'portico.json'],
    ['the package name without its scope', { packageJson: { name: '@acme/shop-web' }, folder }, 'shop-web', 'package.json name'],
    ['the folder name without a package.json', { folder: 'My Folder' }, 'my-folder', 'folder name'],
    ['a source with nothing usable is skipped', { packageJson: { name: '@acme/___' }, folder }, 'my-folder', 'folder name'],
    ['a "portico" key of the wrong type is ignored', { packageJson: { name: 'pkg', portico: 42 }, folder }, 'pkg', 'package.json name'],
    ['a package.json that is not an object is ignored', { packageJson: ['x'], folder }, 'my-folder', 'folder name'],
    ['a dotted name keeps its labels', { flag: 'api.shop', folder }, 'api.shop', '--name'],
  ])('%s', (_case, sources, name, from) => {
    expect(inferName(sources)).toEqual({ name, from });
  });

  it('falls back to "app" when no source has a letter or digit', () => {
    expect(inferName({ folder: '___' }).name).toBe('app');
  });
});

describe('devScript', () => {
  it.each([
    ['dev by default', {}, undefined, 'dev'],
    ['package.json "portico".script', { portico: { script: 'start' } }, { script: 'serve' }, 'start'],
    ['portico.json script', {}, { script: 'serve' }, 'serve'],
  ])('%s', (_case, pkg, portico, script) => {
    expect(devScript(pkg, portico)).toBe(script);
  });
});

describe('hostFor', () => {
  it.each([
    ['no worktree branch', 'shop', undefined, 'shop.localhost'],
    ['a worktree branch goes in front, normalised', 'shop', 'feature/Login', 'feature-login.shop.localhost'],
    ['a branch with nothing usable adds nothing', 'shop', '___', 'shop.localhost'],
  ])('%s', (_case, name, branch, host) => {
    expect(hostFor(name, branch)).toBe(host);
  });
});
