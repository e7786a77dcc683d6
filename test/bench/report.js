// The bench's table: absolute numbers per proxy (medians over rounds), then the ratios the
// issues set targets for. Each round's contenders ran back to back, so a throughput ratio
// is the median of the per-round ratios. A run during which other processes used the CPU
// (shared machines) was disturbed: its round is shown but left out of the medians for
// that connection count when calm rounds exist. Returns false when any answer was not
// 2xx, since then the numbers describe a broken setup.
const FOREIGN_LIMIT = 0.05; // other processes using more than 5% of a CPU disturb a run

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const ms = (us) => (us / 1000).toFixed(3);
const fixed = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Medians over the given 32-connection and 1-connection runs. */
function summarize(c32, c1) {
  const all = [...c32, ...c1];
  return {
    rps: median(c32.map((r) => r.rps)),
    rpsMin: Math.min(...c32.map((r) => r.rps)),
    rpsMax: Math.max(...c32.map((r) => r.rps)),
    p50: median(c32.map((r) => r.p50us)),
    p99: median(c32.map((r) => r.p99us)),
    c1p50: median(c1.map((r) => r.p50us)),
    cpu: median(c32.map((r) => r.cpu)),
    cpuUs: median(c32.map((r) => r.cpuUs)),
    non2xx: sum(all.map((r) => r.non2xx)),
    errors: sum(all.map((r) => r.errors)),
    requests: sum(all.map((r) => r.requests)),
  };
}

const COLUMNS = [
  ['name', 14],
  ['req/s', 8],
  ['min–max', 13],
  ['p50 ms', 9],
  ['p99 ms', 9],
  ['c1-p50 ms', 10],
  ['cpu', 6],
  ['cpu µs/req', 11],
  ['non-2xx', 8],
  ['errors', 7],
  ['requests', 9],
];
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i][1]) : c.padStart(COLUMNS[i][1]))).join(' ');

function row(name, s) {
  const spread = s.rpsMin === s.rpsMax ? '' : `${Math.round(s.rpsMin)}–${Math.round(s.rpsMax)}`;
  return line([
    name,
    String(Math.round(s.rps)),
    spread,
    ms(s.p50),
    ms(s.p99),
    ms(s.c1p50),
    Number.isFinite(s.cpu) ? `${Math.round(s.cpu * 100)}%` : 'n/a',
    fixed(s.cpuUs, 1),
    String(s.non2xx),
    String(s.errors),
    String(s.requests),
  ]);
}

// The comparisons with targets, each as "a ÷ b" within the same rounds (test/bench/README.md
// explains them). `better`: which way is good; `target`: the bound; then why it is that bound.
const COMPARISONS = [
  {
    a: 'portico',
    b: 'bare',
    title: 'Portico ÷ http-proxy-3 (capture off)',
    metrics: [
      ['throughput', 'rps', 'higher', 0.95, 'the routing path costs ≤ 5%'],
      ['c1 p50 latency', 'c1p50', 'lower', 1.1, 'single-connection added latency'],
      ['p99 latency', 'p99', 'lower'],
      ['CPU per request', 'cpuUs', 'lower'],
    ],
  },
  {
    a: 'capture',
    b: 'bare',
    title: 'Portico with capture on ÷ http-proxy-3',
    metrics: [
      ['throughput', 'rps', 'higher', 0.95, 'recording costs ≤ 5% over bare http-proxy-3'],
      ['c1 p50 latency', 'c1p50', 'lower', 1.1, 'single-connection added latency'],
      ['CPU per request', 'cpuUs', 'lower'],
    ],
  },
  {
    a: 'capture',
    b: 'portico',
    title: 'Capture on ÷ capture off',
    metrics: [
      ['throughput', 'rps', 'higher', 0.95, 'capture costs ≤ 5%'],
      ['CPU per request', 'cpuUs', 'lower'],
    ],
  },
  {
    a: 'https',
    b: 'portico',
    title: 'HTTPS ÷ plain HTTP (keep-alive, HTTP/1.1, capture off)',
    metrics: [
      ['throughput', 'rps', 'higher', 0.85, 'TLS costs ≤ 15%'],
      ['c1 p50 latency', 'c1p50', 'lower'],
    ],
  },
  {
    a: 'https',
    b: 'bare-https',
    title: 'Portico HTTPS ÷ bare https.createServer + http-proxy-3 (HTTP/1.1)',
    metrics: [
      ['throughput', 'rps', 'higher'],
      ['CPU per request', 'cpuUs', 'lower'],
    ],
  },
  {
    a: 'capture',
    b: 'caddy',
    title: 'Portico with capture on ÷ Caddy (GOMAXPROCS=1, plain HTTP)',
    metrics: [
      ['c1 p50 latency', 'c1p50', 'lower', 1.0, 'a hop no slower than Caddy'],
      ['throughput', 'rps', 'higher', 1.0, 'moonshot: as fast as Caddy'],
      ['CPU per request', 'cpuUs', 'lower'],
    ],
  },
];

/** Indexes of the rounds whose `kind` runs (c32 or c1) other processes left alone, for all `keys`. */
function calmRounds(rounds, keys, kind) {
  return rounds[keys[0]].map((_, i) => i).filter((i) => keys.every((key) => !(rounds[key][i][kind].foreign > FOREIGN_LIMIT)));
}

/**
 * The HTTP/2 phase: h2load against Portico's and Caddy's TLS listeners, round by round.
 * Returns false when any answer was not 2xx.
 */
export function printH2Report({ rounds, seconds, clients, streams }) {
  const n = rounds.portico.length;
  const calm = rounds.portico.map((_, i) => i).filter((i) => rounds.portico[i].foreign <= FOREIGN_LIMIT && rounds.caddy[i].foreign <= FOREIGN_LIMIT);
  const use = calm.length > 0 ? calm : rounds.portico.map((_, i) => i);
  console.log(`\nHTTP/2 over TLS (h2load, ${clients} connections × ${streams} streams) — ${n} round(s) × ${seconds} s, alternating order`);
  for (const key of ['portico', 'caddy']) {
    const runs = use.map((i) => rounds[key][i]);
    console.log(
      `  ${key.padEnd(8)} ${String(Math.round(median(runs.map((r) => r.rps)))).padStart(7)} req/s  cpu ${Math.round(median(runs.map((r) => r.cpu)) * 100)}%` +
        `  ${fixed(median(runs.map((r) => r.cpuUs)), 1)} µs/req  non-2xx ${sum(rounds[key].map((r) => r.non2xx))}  errors ${sum(rounds[key].map((r) => r.errors))}`,
    );
  }
  const perRound = rounds.portico.map((r, i) => r.rps / rounds.caddy[i].rps);
  const ratio = median(use.map((i) => perRound[i]));
  const verdict = (target) => (ratio >= target ? 'PASS' : 'MISS');
  console.log(
    `  ${'h2 Portico ÷ Caddy'.padEnd(18)} ${fixed(ratio, 3)}  target ≥ 0.6  ${verdict(0.6)}  moonshot ≥ 1.0  ${verdict(1.0)}` +
      `   per round: ${perRound.map((r) => r.toFixed(3)).join(' ')}`,
  );
  const cpuRatio = median(use.map((i) => rounds.portico[i].cpuUs)) / median(use.map((i) => rounds.caddy[i].cpuUs));
  console.log(`  ${'CPU per request'.padEnd(18)} ${fixed(cpuRatio, 3)}  lower is better`);
  const broken = ['portico', 'caddy'].filter((key) => sum(rounds[key].map((r) => r.non2xx + r.errors)) > 0);
  for (const key of broken) console.log(`INVALID: h2 ${key} had non-2xx answers or errors`);
  return broken.length === 0;
}

export function printReport({ direct, rounds, names, seconds, pinning }) {
  const keys = Object.keys(rounds);
  const n = rounds[keys[0]].length;
  const every = rounds[keys[0]].map((_, i) => i);
  // With no calm round at all, a verdict from all of them beats none (the note says so).
  const usable = (ks, kind) => {
    const calm = calmRounds(rounds, ks, kind);
    return calm.length > 0 ? calm : every;
  };
  const pick = (key, ks = keys) =>
    summarize(
      usable(ks, 'c32').map((i) => rounds[key][i].c32),
      usable(ks, 'c1').map((i) => rounds[key][i].c1),
    );
  const origin = summarize([direct.c32], [direct.c1]);
  const calm32 = calmRounds(rounds, keys, 'c32');
  const calm1 = calmRounds(rounds, keys, 'c1');

  console.log(`\nPortico vs bare http-proxy-3 — ${n} round(s) × ${seconds} s, rotating order; ${pinning}`);
  const foreign = keys.flatMap((key) => rounds[key].flatMap((r) => [r.c32.foreign, r.c1.foreign]));
  console.log(`other processes used ${fixed(median(foreign), 2)} CPU (median over the runs; ${fixed(Math.max(...foreign), 2)} at most)`);
  console.log(`calm rounds (other processes under ${FOREIGN_LIMIT * 100}% of a CPU): ${calm32.length} of ${n} at 32 connections, ${calm1.length} of ${n} at 1`);
  console.log('medians over the calm rounds (all, if none was). req/s, p50, p99: 32 connections; c1-p50: 1 connection;');
  console.log('cpu: the proxy process during the 32-connection runs; cpu µs/req: its CPU time per request\n');
  console.log(line(COLUMNS.map(([title]) => title)));
  console.log(row('origin-direct', origin));
  const summaries = Object.fromEntries(keys.map((key) => [key, pick(key)]));
  for (const key of keys) console.log(row(names[key], summaries[key]));

  // BENCH_COMPARE_OUT's twins: each contender of this build against the same of the other.
  const twins = keys
    .filter((key) => key.endsWith('~b'))
    .map((b) => ({
      a: b.slice(0, -2),
      b,
      title: `${names[b.slice(0, -2)]}: this build ÷ BENCH_COMPARE_OUT's`,
      metrics: [
        ['throughput', 'rps', 'higher'],
        ['CPU per request', 'cpuUs', 'lower'],
        ['c1 p50 latency', 'c1p50', 'lower'],
      ],
    }));
  for (const { a, b, title, metrics } of [...COMPARISONS, ...twins]) {
    if (!rounds[a] || !rounds[b]) continue;
    const pair = [a, b];
    const use32 = usable(pair, 'c32');
    const use1 = usable(pair, 'c1');
    console.log(`\n${title}`);
    for (const [label, field, better, target, why] of metrics) {
      // Throughput: the median of per-round ratios (each round's pair ran back to back);
      // the rest: the ratio of the medians.
      const kind = field === 'c1p50' ? 'c1' : 'c32';
      const use = kind === 'c1' ? use1 : use32;
      const key = { rps: 'rps', c1p50: 'p50us', p99: 'p99us', cpuUs: 'cpuUs' }[field];
      const perRound = rounds[a].map((r, i) => r[kind][key] / rounds[b][i][kind][key]);
      const ratio = median(use.map((i) => perRound[i]));
      const verdict = target === undefined ? '' : (better === 'higher' ? ratio >= target : ratio <= target) ? 'PASS' : 'MISS';
      const goal = target === undefined ? `${better} is better` : `target ${better === 'higher' ? '≥' : '≤'} ${target} (${why})  ${verdict}`;
      const shown = field === 'rps' ? `   per round: ${perRound.map((r, i) => `${r.toFixed(3)}${use.includes(i) ? '' : '*'}`).join(' ')}` : '';
      console.log(`  ${label.padEnd(16)} ${fixed(ratio, 3)}  ${goal}${shown}`);
    }
  }

  const notes = [];
  if (calm32.length < Math.ceil(n / 2)) notes.push('most rounds were disturbed by other processes (* = left out); rerun on a quieter machine.');
  if (keys.some((key) => summaries[key].cpu < 0.8)) {
    notes.push('a proxy used under 80% of its CPU: other processes or the load side held it back, so the ratios are blurred.');
  }
  if (notes.length) console.log(`\n${notes.map((note) => `note: ${note}`).join('\n')}`);
  const everything = (key) =>
    summarize(
      rounds[key].map((r) => r.c32),
      rounds[key].map((r) => r.c1),
    );
  const broken = [['origin-direct', origin], ...keys.map((key) => [names[key], everything(key)])].filter(([, s]) => s.non2xx + s.errors > 0);
  for (const [name, s] of broken) console.log(`INVALID: ${name} had ${s.non2xx} non-2xx answers and ${s.errors} errors`);
  return broken.length === 0;
}
