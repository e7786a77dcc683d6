// What archiving one finished exchange costs (ExchangeRecord → Archive.put: encoding into a
// slab), for two builds of proxy-core in one process, in alternating rounds: an interleaved
// A/B of a change to the capture archive, far steadier than the whole proxy's throughput.
// Usage: node test/bench/archive-ab.js DIR_A DIR_B [ROUNDS=16] [EXCHANGES=5000]
// (each DIR a built proxy-core, e.g. out/proxy-core and a copy made before the change)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [aDir, bDir, rounds = '16', count = '5000'] = process.argv.slice(2);
if (!aDir || !bDir) throw new Error('usage: node test/bench/archive-ab.js DIR_A DIR_B [ROUNDS] [EXCHANGES]');
async function load(dir) {
  const imp = (file) => import(pathToFileURL(path.resolve(dir, file)).href);
  const [{ Archive }, { ExchangeRecord }] = await Promise.all([imp('capture/archive/archive.js'), imp('capture/exchange-record.js')]);
  return { Archive, ExchangeRecord };
}
const builds = { A: await load(aDir), B: await load(bDir) };

// A browser's GET of a 1 KiB JSON answer, as the engine reports it.
const requestHeaders = [
  'Host',
  'bench.localhost',
  'User-Agent',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Accept',
  'application/json',
  'Accept-Encoding',
  'gzip, deflate, br',
  'Connection',
  'keep-alive',
  'Cookie',
  'session=abc123def456',
];
const responseHeaders = [
  'Content-Type',
  'application/json',
  'Content-Length',
  '1024',
  'Date',
  'Sat, 05 Dec 2026 00:30:00 GMT',
  'Connection',
  'keep-alive',
  'Keep-Alive',
  'timeout=5',
];
const backendHead =
  'GET /bench HTTP/1.1\r\nhost: bench.localhost\r\nuser-agent: Mozilla/5.0\r\naccept: application/json\r\nx-forwarded-for: 127.0.0.1\r\n' +
  'x-forwarded-proto: http\r\nx-forwarded-host: bench.localhost\r\nx-forwarded-port: 8080\r\nConnection: keep-alive\r\n\r\n';
const clientHead =
  'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1024\r\ndate: Sat, 05 Dec 2026 00:30:00 GMT\r\nconnection: keep-alive\r\n\r\n';
const body = Buffer.alloc(1024, 'x');
const owner = { recordChanged() {} };
const limits = { bodyLimit: 1 << 20, wsMessageLimit: 100 };

/** µs per exchange to archive `n` finished records (made before the clock starts). */
function run({ Archive, ExchangeRecord }, n) {
  const archive = new Archive();
  const records = [];
  for (let i = 0; i < n; i++) {
    const start = {
      kind: 'http',
      startedAt: Date.now(),
      client: '127.0.0.1',
      scheme: 'http',
      httpVersion: '1.1',
      method: 'GET',
      host: 'bench.localhost',
      url: `/bench?i=${i}`,
      rawHeaders: requestHeaders,
    };
    const record = new ExchangeRecord(`x${i + 1}`, start, limits, owner);
    record.routed('bench.localhost', 'http://127.0.0.1:9');
    record.connected();
    record.backendRequestHead(backendHead);
    record.responseHead(200, responseHeaders);
    record.responseData(body.subarray(0));
    record.clientResponseHead(clientHead);
    record.finished();
    records.push(record);
  }
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    archive.put(i + 1, records[i]);
    if (i >= 1000) archive.drop(i - 999); // a store of 1,000 exchanges: slabs come and go
  }
  return Number(process.hrtime.bigint() - t0) / n / 1000;
}

const times = { A: [], B: [] };
for (let r = 0; r < Number(rounds); r++) for (const key of r % 2 ? ['B', 'A'] : ['A', 'B']) times[key].push(run(builds[key], Number(count)));
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const ratios = times.A.map((a, i) => a / times.B[i]);
console.log(`archiving one exchange: A ${median(times.A).toFixed(2)} µs, B ${median(times.B).toFixed(2)} µs`);
console.log(`A ÷ B ${median(ratios).toFixed(3)} (median of ${ratios.length} rounds: ${ratios.map((x) => x.toFixed(2)).join(' ')})`);
