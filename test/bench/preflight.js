// Before timing anything, prove each proxy really forwards to the origin: a broken route
// answering 404 quickly must not look like a fast proxy.
import http from 'node:http';

function get(port, host, path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer from port ${port} in 5 s`)));
  });
}

export async function preflight({ bare, portico, host }) {
  const problems = [];
  for (const proxy of [bare, portico]) {
    const page = await get(proxy.port, host, '/bench');
    if (page.status !== 200 || page.body.length !== 1024) {
      problems.push(`${proxy.name}: GET /bench gave ${page.status} with ${page.body.length} bytes, not 200 with 1024`);
    }
    const echo = await get(proxy.port, host, '/__echo');
    const seen = echo.status === 200 ? JSON.parse(echo.body) : {};
    if (!seen['x-forwarded-for']) problems.push(`${proxy.name}: the origin saw no X-Forwarded-For`);
  }
  const unknown = await get(portico.port, 'nowhere.localhost', '/bench');
  if (unknown.status !== 404) problems.push(`portico: an unknown host gave ${unknown.status}, not 404`);
  if (problems.length) throw new Error(`pre-flight check failed:\n  ${problems.join('\n  ')}`);
}
