// The hosts-file block as pure text: old text + names → new text, table-driven.
import { describe, expect, it } from 'vitest';
import { HostsFileError, namesInBlock, normalizeNames, planHostsText } from '../../proxy-core/hosts/block.js';

const NOTE = '# Managed by Portico (portico hosts): lines in this block are replaced on every change.';
const block = (names: string[], eol = '\n') =>
  ['# BEGIN portico', NOTE, ...names.flatMap((n) => [`127.0.0.1 ${n}`, `::1 ${n}`]), '# END portico'].map((l) => l + eol).join('');

const DEBIAN =
  '127.0.0.1\tlocalhost\n127.0.1.1\tbox\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\n';
const WINDOWS =
  '# Copyright (c) 1993-2009 Microsoft Corp.\r\n#\r\n# localhost name resolution is handled within DNS itself.\r\n#\t127.0.0.1       localhost\r\n192.168.1.20 nas.home\r\n';

describe('planHostsText', () => {
  it.each([
    ['adds a block at the end of a Debian file', DEBIAN, ['shop.test'], DEBIAN + block(['shop.test'])],
    ['sorts and de-duplicates names, lower-cased', DEBIAN, ['b.test', 'A.test', 'b.test'], DEBIAN + block(['a.test', 'b.test'])],
    ['keeps CRLF files CRLF', WINDOWS, ['shop.test'], WINDOWS + block(['shop.test'], '\r\n')],
    ['ends an unterminated last line before the block', '127.0.0.1 localhost', ['x.test'], '127.0.0.1 localhost\n' + block(['x.test'])],
    ['starts an empty file with the block', '', ['x.test'], block(['x.test'])],
    ['leaves a file without a block alone when there are no names', DEBIAN, [], DEBIAN],
    [
      'replaces the block in place, user lines around it untouched',
      `# mine\n${block(['old.test'])}10.0.0.5 db.lan # keep\n`,
      ['new.test'],
      `# mine\n${block(['new.test'])}10.0.0.5 db.lan # keep\n`,
    ],
    ['removes the block when no names are left', `a\n${block(['old.test'])}b\n`, [], 'a\nb\n'],
    ['removes a CRLF block, the rest byte for byte', `x\r\n${block(['o.test'], '\r\n')}y\r\n`, [], 'x\r\ny\r\n'],
    ['merges several blocks into the first', `${block(['a.test'])}mid\n${block(['b.test'])}end\n`, ['c.test'], `${block(['c.test'])}mid\nend\n`],
    ['keeps a last END line without newline as it was', `a\n${block(['o.test']).slice(0, -1)}`, ['n.test'], `a\n${block(['n.test']).slice(0, -1)}`],
    ['replaces whatever was edited inside the block', 'a\n# BEGIN portico\n1.2.3.4 hacked.test\n# END portico\n', ['shop.test'], `a\n${block(['shop.test'])}`],
  ])('%s', (_name, before, names, after) => {
    expect(planHostsText(before, names)).toBe(after);
  });

  it('round trip: add then remove gives the original bytes back', () => {
    for (const original of [DEBIAN, WINDOWS, '', '\n\n', 'odd bytes \u00e9\u00ff\n']) {
      expect(planHostsText(planHostsText(original, ['shop.test', 'api.shop.test']), [])).toBe(original);
    }
  });

  it('is idempotent', () => {
    const once = planHostsText(WINDOWS, ['a.test']);
    expect(planHostsText(once, ['a.test'])).toBe(once);
  });

  it.each([
    ['a BEGIN never closed', 'x\n# BEGIN portico\n127.0.0.1 a.test\n', /line 2 is never closed/],
    ['an END without a BEGIN', 'x\n# END portico\n', /line 2 has no "# BEGIN portico"/],
    ['a BEGIN inside a block', '# BEGIN portico\n# BEGIN portico\n# END portico\n', /line 2 inside the block begun on line 1/],
  ])('refuses to guess with %s', (_name, text, message) => {
    expect(() => planHostsText(text, ['a.test'])).toThrow(HostsFileError);
    expect(() => planHostsText(text, ['a.test'])).toThrow(message);
  });
});

describe('names', () => {
  it('reads the names in the block', () => {
    expect(namesInBlock(`127.0.0.1 user.test\n${block(['b.test', 'a.test'])}`)).toEqual(['a.test', 'b.test']);
    expect(namesInBlock(DEBIAN)).toEqual([]);
  });

  it.each([
    ['*.shop.test', /wildcards/],
    ['has space.test', /not a host name/],
    ['127.0.0.1', /not a host name/],
    ['-bad.test', /not a host name/],
    ['a#b.test', /not a host name/],
  ])('refuses %j', (name, message) => expect(() => normalizeNames([name])).toThrow(message));

  it('accepts a trailing dot and upper case', () => expect(normalizeNames(['Shop.Test.'])).toEqual(['shop.test']));
});
