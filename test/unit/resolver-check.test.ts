// doctor asks the system resolver about every route host, and a fake resolver that
// cannot resolve *.localhost shows who can (browsers) and who cannot (Node, curl…), with the fix.
import { expect, it } from 'vitest';
import { checkResolution, renderResolution, type Lookup } from '../../proxy-core/cli/resolver-check.js';


/** A resolver like glibc without nss-myhostname: only the names it is told about resolve. */
function resolverKnowing(names: Record<string, string>): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const address = names[hostname];
    if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return { address, family: 4 };
  };
  return Object.assign(lookup, { asked });
}

it('a *.localhost name the system resolver cannot find: browsers can, Node and the rest cannot, fix with hosts sync --localhost', async () => {
  const lookup = resolverKnowing({ 'api.test': '127.0.0.1' });
  const results = await checkResolution(['app.localhost', 'api.test'], lookup);
  expect(lookup.asked).toEqual(['api.test', 'app.localhost']);
  const text = renderResolution(results).join('\n');
  expect(text).toContain('✓ api.test → 127.0.0.1 for everyone');
  expect(text).toContain('✗ app.localhost does not resolve (ENOTFOUND) with the system resolver. Browsers can (they resolve *.localhost themselves); Node, Python, curl and server-side fetches cannot.');
  expect(text).toContain('fix: portico hosts sync --localhost');
});

it('a name that resolves somewhere else than this machine is a problem too, and a wildcard is asked through a sample name', async () => {
  const lookup = resolverKnowing({ 'shop.test': '10.0.0.7' });
  const results = await checkResolution(['shop.test', '*.tenants.test', '127.0.0.1'], lookup);
  expect(lookup.asked).toEqual(['portico-check.tenants.test', 'shop.test']);
  const text = renderResolution(results).join('\n');
  expect(text).toContain('✗ shop.test resolves to 10.0.0.7, not this machine with the system resolver. Browsers cannot either');
  expect(text).toContain('*.tenants.test (asked as portico-check.tenants.test) does not resolve');
  expect(text).toContain('fix: list the names you use under *.tenants.test in the hosts file');
});
