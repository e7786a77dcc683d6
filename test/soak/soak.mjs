// The soak: many mixed requests — HTTP, HTTPS (through our CA) and WebSocket echoes —
// through the engine in a child process with capture on, checking that after warm-up its
// resident memory stays flat and no file descriptor is left behind.
//
//   npm run soak                      1,000,000 requests (the full soak)
//   npm run soak -- --requests 200000 any other count
//   npm run soak -- --v8-defaults     the engine without the V8 flags `portico serve` sets
//
// The short version runs in `npm test` (test/integration/hardening-soak.test.ts).
// Between phases the clients are stopped and their connections closed, so every sample is
// taken at rest: memory after a GC, descriptors from /proc/<pid>/fd.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

const CHILD = fileURLToPath(new URL('./soak-engine.mjs', import.meta.url));
// The engine runs with the V8 flags `portico serve` restarts itself with (see v8-flags.ts).
const { SERVE_V8_FLAGS } = await import(new URL('../../out/proxy-core/cli/v8-flags.js', import.meta.url).href);
const MB = 1024 * 1024;
// The short soak in the suite shares the machine with other suites: its growth limit is
// looser than the full soak's verdict (growth under 10 MB, at most 160 MB at the end).
export const LIMITS = { rssGrowthMB: 20, fdGrowth: 5 };
export const FULL_SOAK_LIMITS = { rssGrowthMB: 10, rssMB: 160, fdGrowth: 5 };

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A JSON document of about `bytes` bytes, different for every `n`: what an API under
 * development sends and answers (the capture archive packs text, so repeated filler would
 * make it look cheaper than real traffic).
 */
function jsonOf(n, bytes) {
  // One item is about 75 bytes of JSON.
  const items = Array.from({ length: Math.round(bytes / 75) }, (_, i) => ({
    id: n * 100 + i,
    name: `Item ${n}-${i}`,
    price: ((n * 31 + i * 7) % 997) / 10,
    tags: ['soak', `c${(n + i) % 7}`],
  }));
  return JSON.stringify({ n, items });
}

/** An HTTP backend (GET: a small JSON page; POST: the byte count) and a WebSocket echo. */
async function startBackends() {
  const web = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'POST' ? String(bytes) : jsonOf(Number(req.url.split('/')[2]?.split('?')[0]), 600));
    });
  });
  // Idle upstream connections close soon, so a sample at rest counts none of them.
  web.keepAliveTimeout = 300;
  const echo = http.createServer();
  new WebSocketServer({ server: echo }).on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('error', () => socket.terminate());
  });
  const ports = { web: await listen(web), echo: await listen(echo) };
  return {
    ports,
    close() {
      for (const server of [web, echo]) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}

async function startChild(config, v8Flags) {
  const child = spawn(process.execPath, [...v8Flags, '--expose-gc', CHILD, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const exited = new Promise((_resolve, reject) => child.on('exit', (code) => reject(new Error(`soak engine exited (${code}): ${stderr}`))));
  exited.catch(() => {});
  const next = () => Promise.race([new Promise((resolve) => waiting.push(resolve)), exited]);
  const ready = await next();
  return {
    ...ready,
    pid: child.pid,
    async sample() {
      const answer = next();
      child.stdin.write('sample\n');
      return answer;
    },
    async close() {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.write('close\n');
      const guard = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(guard);
    },
  };
}

/** One request of the mix, in 20: 13 HTTP, 6 HTTPS, 1 WebSocket round trip (ws and wss by turns). */
function oneRequest(i, engine, agents) {
  const kind = i % 20;
  if (kind === 19) return wsRoundTrip(engine, i % 40 === 39);
  const secure = kind >= 13;
  const post = i % 2 === 1;
  const body = post ? Buffer.from(jsonOf(i, 2048)) : undefined;
  return new Promise((resolve) => {
    const options = {
      host: '127.0.0.1',
      port: secure ? engine.httpsPort : engine.httpPort,
      method: post ? 'POST' : 'GET',
      path: `/item/${i % 1000}?q=${i}`,
      headers: { host: 'soak.localhost', ...(body ? { 'content-length': body.length } : {}) },
      agent: secure ? agents.https : agents.http,
      ...(secure ? { servername: 'soak.localhost', ca: engine.ca } : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? (secure ? 'https' : 'http') : `status ${res.statusCode}`));
      res.on('error', (error) => resolve(error.code ?? error.message));
    });
    req.on('error', (error) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

function wsRoundTrip(engine, secure) {
  return new Promise((resolve) => {
    const url = secure ? `wss://127.0.0.1:${engine.httpsPort}/live` : `ws://127.0.0.1:${engine.httpPort}/live`;
    const ws = new WebSocket(url, { headers: { host: 'ws.localhost' }, ...(secure ? { servername: 'ws.localhost', ca: engine.ca } : {}) });
    let outcome = 'ws: closed before the echo';
    ws.on('open', () => ws.send('ping'));
    ws.on('message', (data) => {
      outcome = data.toString() === 'ping' ? (secure ? 'wss' : 'ws') : 'ws: wrong echo';
      ws.close();
    });
    ws.on('error', (error) => (outcome = `ws: ${error.message}`));
    ws.on('close', () => resolve(outcome));
  });
}

/** Runs `count` requests from `from` on, `concurrency` at a time; tallies outcomes into `tally`. */
async function phase(engine, from, count, concurrency, tally) {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
    https: new https.Agent({ keepAlive: true, maxSockets: concurrency }),
  };
  let next = from;
  const end = from + count;
  const worker = async () => {
    while (next < end) {
      const outcome = await oneRequest(next++, engine, agents);
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agents.http.destroy();
  agents.https.destroy();
}

/**
 * Memory and descriptors at rest: clients gone, upstream idle connections timed out, and
 * the engine quiet long enough for the collection `portico serve` runs when traffic stops.
 */
async function atRest(engine, done) {
  await sleep(2_500);
  const { rss, heap, heapTotal, captured, archiveMB } = await engine.sample();
  const fds = readdirSync(`/proc/${engine.pid}/fd`).length;
  return {
    done,
    rssMB: Math.round((rss / MB) * 10) / 10,
    heapMB: Math.round((heap / MB) * 10) / 10,
    heapTotalMB: Math.round((heapTotal / MB) * 10) / 10,
    fds,
    captured,
    archiveMB,
  };
}

/**
 * Runs the soak; resolves with the samples and the verdict. Warm-up is the first tenth
 * (at least 5,000 requests): time enough for pools, JIT and the capture store (bounded at
 * `maxExchanges`) to reach their working size. `capture` is the store's settings: the
 * defaults (50,000 exchanges, 256 MB) unless given.
 */
export async function runSoak({ requests, concurrency = 24, samples = 5, v8Defaults = false, capture = { enabled: true }, log = () => {} }) {
  const backends = await startBackends();
  const engine = await startChild(
    {
      http: { port: 0 },
      routes: [
        { host: 'soak.localhost', target: `http://127.0.0.1:${backends.ports.web}` },
        { host: 'ws.localhost', target: `http://127.0.0.1:${backends.ports.echo}` },
      ],
      capture,
    },
    v8Defaults ? [] : SERVE_V8_FLAGS,
  );
  const tally = {};
  const points = [];
  const started = Date.now();
  try {
    const warmUp = Math.max(5_000, Math.round(requests / 10));
    await phase(engine, 0, warmUp, concurrency, tally);
    points.push(await atRest(engine, warmUp));
    log(
      `warm-up ${warmUp}: rss ${points[0].rssMB} MB, heap ${points[0].heapMB} of ${points[0].heapTotalMB} MB, ${points[0].fds} fds, ${points[0].captured} captured (archive ${points[0].archiveMB} MB)`,
    );
    const step = Math.ceil((requests - warmUp) / samples);
    for (let done = warmUp; done < requests;) {
      const count = Math.min(step, requests - done);
      await phase(engine, done, count, concurrency, tally);
      done += count;
      const point = await atRest(engine, done);
      points.push(point);
      log(
        `${done}: rss ${point.rssMB} MB, heap ${point.heapMB} of ${point.heapTotalMB} MB, ${point.fds} fds, ${point.captured} captured (archive ${point.archiveMB} MB)`,
      );
    }
  } finally {
    await engine.close();
    backends.close();
  }
  const base = points[0];
  const rssGrowthMB = Math.max(...points.map((p) => p.rssMB)) - base.rssMB;
  const fdGrowth = Math.max(...points.map((p) => p.fds)) - base.fds;
  const failures = Object.entries(tally).filter(([outcome]) => !['http', 'https', 'ws', 'wss'].includes(outcome));
  const seconds = (Date.now() - started) / 1000;
  return {
    requests,
    seconds,
    perSecond: Math.round(requests / seconds),
    tally,
    points,
    rssGrowthMB: Math.round(rssGrowthMB * 10) / 10,
    fdGrowth,
    failures: Object.fromEntries(failures),
    ok: rssGrowthMB < LIMITS.rssGrowthMB && fdGrowth <= LIMITS.fdGrowth && failures.length === 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--requests');
  const requests = flag > 0 ? Number(process.argv[flag + 1]) : 1_000_000;
  const v8Defaults = process.argv.includes('--v8-defaults');
  console.log(`engine V8 flags: ${v8Defaults ? "none (V8's defaults)" : SERVE_V8_FLAGS.join(' ')}`);
  const report = await runSoak({ requests, samples: 10, v8Defaults, log: (line) => console.log(line) });
  console.log(JSON.stringify({ ...report, points: undefined }, null, 2));
  const last = report.points.at(-1);
  const ok =
    report.failures &&
    Object.keys(report.failures).length === 0 &&
    report.rssGrowthMB < FULL_SOAK_LIMITS.rssGrowthMB &&
    last.rssMB <= FULL_SOAK_LIMITS.rssMB &&
    report.fdGrowth <= FULL_SOAK_LIMITS.fdGrowth;
  console.log(
    `${ok ? 'PASS' : 'FAIL'}: ${report.requests} requests in ${report.seconds.toFixed(0)} s (${report.perSecond}/s), capture at default bounds; ` +
      `RSS ${last.rssMB} MB at the end (limit ${FULL_SOAK_LIMITS.rssMB}), growth after warm-up ${report.rssGrowthMB} MB (limit ${FULL_SOAK_LIMITS.rssGrowthMB}), ` +
      `heap ${last.heapMB} MB, archive ${last.archiveMB} MB, fd growth ${report.fdGrowth} (limit ${FULL_SOAK_LIMITS.fdGrowth})`,
  );
  process.exitCode = ok ? 0 : 1;
}
