// Baseline: bare http-proxy-3 with a keep-alive agent and X-Forwarded-* on, the way a
// minimal Node reverse proxy is written; the origin port and listen port are arguments.
// BENCH_HTTPS=1: the same behind a bare `https.createServer` serving the leaf run.js issued
// for the benchmarked host into BENCH_DATA_DIR — what TLS alone costs a Node proxy.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { createProxyServer } from 'http-proxy-3';

const [originPort, listenPort = '0'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = createProxyServer({ target: `http://127.0.0.1:${originPort}`, agent, xfwd: true });
proxy.on('error', (e, req, res) => {
  try {
    res.writeHead(502);
    res.end();
  } catch {
    // the client is gone already
  }
});
const handler = (req, res) => proxy.web(req, res);
let server;
let caLine = '';
if (process.env.BENCH_HTTPS === '1') {
  const dataDir = process.env.BENCH_DATA_DIR;
  const pem = readFileSync(path.join(dataDir, 'certs', 'bench.localhost.pem'), 'utf8');
  server = https.createServer({ cert: pem, key: pem }, handler);
  caLine = ` CA ${JSON.stringify(readFileSync(path.join(dataDir, 'ca', 'root.pem'), 'utf8'))}`;
} else {
  server = http.createServer(handler);
}
server.listen(Number(listenPort), '127.0.0.1', () => console.log(`READY ${server.address().port}${caLine}`));
// Exit cleanly on SIGTERM so `node --cpu-prof` gets to write its profile.
process.on('SIGTERM', () => process.exit(0));
