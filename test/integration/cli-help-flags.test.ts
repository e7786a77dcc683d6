// Every help text against the flags its command's parser knows: a flag the parser takes
// must be documented, a flag the help names must be accepted, and no help may call a
// working feature "coming later".
import { describe, expect, it } from 'vitest';
import { caHelp, doctorHelp, hostsHelp, passwdHelp, serveHelp, trustHelp, uiHelp } from '../../proxy-core/cli/help.js';
import { FLAGS as uiFlags } from '../../proxy-core/cli/ui.js';
import { FLAGS as caFlags } from '../../proxy-core/cli/ca.js';
import { FLAGS as doctorFlags } from '../../proxy-core/cli/doctor.js';
import { FLAGS as hostsFlags } from '../../proxy-core/cli/hosts.js';
import { FLAGS as passwdFlags } from '../../proxy-core/cli/passwd.js';
import { FLAGS as serveFlags } from '../../proxy-core/cli/serve.js';
import { FLAGS as trustFlags } from '../../proxy-core/cli/trust.js';
import { startBanner } from '../../proxy-core/cli/banner.js';
import { parseConfig } from '../../proxy-core/config/index.js';

const COMMANDS = {
  serve: { help: serveHelp, flags: serveFlags },
  ui: { help: uiHelp, flags: uiFlags },
  ca: { help: caHelp, flags: caFlags },
  trust: { help: trustHelp, flags: trustFlags },
  doctor: { help: doctorHelp, flags: doctorFlags },
  hosts: { help: hostsHelp, flags: hostsFlags },
  passwd: { help: passwdHelp, flags: passwdFlags },
};

/** The --flags a help text names, leaving out the example lines of other programs. */
function namedFlags(text: string): Set<string> {
  const ours = text.split('\n').filter((line) => !/\b(curl|openssl|node)\b/.test(line));
  return new Set([...ours.join('\n').matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1] ?? ''));
}

describe('help texts match the flags each command parses', () => {
  for (const [name, { help, flags }] of Object.entries(COMMANDS)) {
    it(`portico ${name}: every flag the parser knows is in its help, and the help names no other`, () => {
      const named = namedFlags(help());
      const known = Object.keys(flags).filter((flag) => flag !== 'help');
      expect(known.filter((flag) => !named.has(flag)), 'parsed but undocumented').toEqual([]);
      expect([...named].filter((flag) => flag !== 'help' && !(flag in flags)), 'documented but not parsed').toEqual([]);
    });

    it(`portico ${name}: its help promises nothing for a later version`, () => {
      expect(help()).not.toMatch(/later version|not yet|coming soon/i);
    });
  }
});

describe('the start banner with no routes', () => {
  const base = {
    version: '0.0.0',
    configFile: '/x/config.json',
    configFound: false,
    http: { host: '127.0.0.1', port: 8080 },
    https: undefined,
    caFile: '/x/ca/root.pem',
    config: parseConfig({}, 'test'),
    notes: [],
  };

  it('points at the UI it just started', () => {
    const text = startBanner({ ...base, ui: 'http://127.0.0.1:17600/?token=abc', tokenFile: '/x/control-token' });
    expect(text).toMatch(/No routes yet: add one in the UI above/);
  });

  it('without the UI, says how to start it', () => {
    expect(startBanner(base)).toMatch(/--control-port/);
  });
});
