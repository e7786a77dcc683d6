// Before timing anything, prove each proxy really forwards to the origin: a broken route
// answering 404 quickly must not look like a fast proxy. Over HTTPS the certificate is
// verified against Portico's CA for the benchmarked host, as a browser would.
import http from 'node:http';
import https from 'node:https';

function get(proxy, host, path) {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port: proxy.port, path, headers: { host }, agent: false };
    const request = proxy.ca ? https.get({ ...options, ca: proxy.ca, servername: host }, onResponse) : http.get(options, onResponse);
    function onResponse(res) {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }
    request.on('error', reject);
    request.setTimeout(5_000, () => request.destroy(new Error(`no answer from port ${proxy.port} in 5 s`)));
  });
}

export async function preflight({ proxies, host }) {
  const problems = [];
  for (const proxy of proxies) {
    const page = await get(proxy, host, '/bench').catch((error) => ({ status: error.message, body: '' }));
    if (page.status !== 200 || page.body.length !== 1024) {
      problems.push(`${proxy.name}: GET /bench gave ${page.status} with ${page.body.length} bytes, not 200 with 1024`);
      continue;
    }
    const echo = await get(proxy, host, '/__echo');
    const seen = echo.status === 200 ? JSON.parse(echo.body) : {};
    if (!seen['x-forwarded-for']) problems.push(`${proxy.name}: the origin saw no X-Forwarded-For`);
    if (proxy.name.startsWith('portico')) {
      const unknown = await get(proxy, 'nowhere.localhost', '/bench').catch(() => ({ status: 'no answer' }));
      // Over HTTPS an unknown host still gets a certificate for its name (it is a dev suffix).
      if (unknown.status !== 404) problems.push(`${proxy.name}: an unknown host gave ${unknown.status}, not 404`);
    }
  }
  if (problems.length) throw new Error(`pre-flight check failed:\n  ${problems.join('\n  ')}`);
}
