// Bench origin: a fixed 1 KiB body, kept cheap so the proxy under test is the bottleneck.
// GET /__echo returns the request headers instead, for the pre-flight check.
import http from 'node:http';

const body = Buffer.alloc(1024, 'x');
const headers = { 'content-type': 'text/plain', 'content-length': body.length };

const server = http.createServer((req, res) => {
  if (req.url === '/__echo') {
    res.end(JSON.stringify(req.headers));
    return;
  }
  res.writeHead(200, headers);
  res.end(body);
});
// Longer than any pause between rounds: a pooled socket the origin closed while idle
// would turn into a reset (and a 502) on the proxy's next request.
server.keepAliveTimeout = 120_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log(`READY ${server.address().port}`));
