// Baseline: bare http-proxy-3 with a keep-alive agent and X-Forwarded-* on, the way a
// minimal Node reverse proxy is written; the origin port and listen port are arguments.
import http from 'node:http';
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
const server = http.createServer((req, res) => proxy.web(req, res));
server.listen(Number(listenPort), '127.0.0.1', () => console.log(`READY ${server.address().port}`));
// Exit cleanly on SIGTERM so `node --cpu-prof` gets to write its profile.
process.on('SIGTERM', () => process.exit(0));
