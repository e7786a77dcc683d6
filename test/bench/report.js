// The bench's table: absolute numbers per proxy (medians over rounds), then Portico ÷
// http-proxy-3 ratios. Each round's pair ran back to back, so the throughput ratio is the
// median of the per-round ratios. A run during which other processes used the CPU
// (shared machines) was disturbed: its round is shown but left out of the medians for
// that connection count when calm rounds exist. Returns false when any answer was not
// 2xx, since then the numbers describe a broken setup.
const TARGET = 0.95;
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

const COLUMNS = [['name', 14], ['req/s', 8], ['min–max', 13], ['p50 ms', 9], ['p99 ms', 9], ['c1-p50 ms', 10],
  ['cpu', 6], ['cpu µs/req', 11], ['non-2xx', 8], ['errors', 7], ['requests', 9]];
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i][1]) : c.padStart(COLUMNS[i][1]))).join(' ');

function row(name, s) {
  const spread = s.rpsMin === s.rpsMax ? '' : `${Math.round(s.rpsMin)}–${Math.round(s.rpsMax)}`;
  return line([name, String(Math.round(s.rps)), spread, ms(s.p50), ms(s.p99), ms(s.c1p50),
    Number.isFinite(s.cpu) ? `${Math.round(s.cpu * 100)}%` : 'n/a', fixed(s.cpuUs, 1),
    String(s.non2xx), String(s.errors), String(s.requests)]);
}

/** Indexes of the rounds whose `kind` runs (c32 or c1) other processes left alone, for both proxies. */
function calmRounds(rounds, kind) {
  return rounds.bare.map((_, i) => i).filter((i) => [rounds.bare[i], rounds.portico[i]].every((r) => !(r[kind].foreign > FOREIGN_LIMIT)));
}

export function printReport({ direct, rounds, seconds, pinning }) {
  const n = rounds.bare.length;
  const calm32 = calmRounds(rounds, 'c32');
  const calm1 = calmRounds(rounds, 'c1');
  const every = rounds.bare.map((_, i) => i);
  // With no calm round at all, a verdict from all of them beats none (the note says so).
  const use32 = calm32.length > 0 ? calm32 : every;
  const use1 = calm1.length > 0 ? calm1 : every;
  const pick = (key) => summarize(use32.map((i) => rounds[key][i].c32), use1.map((i) => rounds[key][i].c1));
  const bare = pick('bare');
  const portico = pick('portico');
  const origin = summarize([direct.c32], [direct.c1]);

  console.log(`\nPortico vs bare http-proxy-3 — ${n} round(s) × ${seconds} s, alternating; ${pinning}`);
  const foreign = [...rounds.bare, ...rounds.portico].flatMap((r) => [r.c32.foreign, r.c1.foreign]);
  console.log(`other processes used ${fixed(median(foreign), 2)} CPU (median over the runs; ${fixed(Math.max(...foreign), 2)} at most)`);
  console.log(`calm rounds (other processes under ${FOREIGN_LIMIT * 100}% of a CPU): ${calm32.length} of ${n} at 32 connections, ${calm1.length} of ${n} at 1`);
  console.log('medians over the calm rounds (all, if none was). req/s, p50, p99: 32 connections; c1-p50: 1 connection;');
  console.log('cpu: the proxy process during the 32-connection runs; cpu µs/req: its CPU time per request\n');
  console.log(line(COLUMNS.map(([title]) => title)));
  console.log(row('origin-direct', origin));
  console.log(row('http-proxy-3', bare));
  console.log(row('portico', portico));

  const perRound = rounds.portico.map((p, i) => p.c32.rps / rounds.bare[i].c32.rps);
  const ratio = median(use32.map((i) => perRound[i]));
  const shown = perRound.map((r, i) => `${r.toFixed(3)}${use32.includes(i) ? '' : '*'}`).join(' ');
  console.log('\nPortico ÷ http-proxy-3');
  console.log(`  throughput       ${ratio.toFixed(3)}  target ≥ ${TARGET}  ${ratio >= TARGET ? 'PASS' : 'BELOW'}   per round: ${shown}${use32.length < n ? '  (* disturbed, not used)' : ''}`);
  console.log(`  p50 latency      ${(portico.p50 / bare.p50).toFixed(3)}  lower is better`);
  console.log(`  p99 latency      ${(portico.p99 / bare.p99).toFixed(3)}  lower is better`);
  console.log(`  c1 p50 latency   ${(portico.c1p50 / bare.c1p50).toFixed(3)}  lower is better`);
  console.log(`  CPU per request  ${fixed(portico.cpuUs / bare.cpuUs, 3)}  lower is better (what the routing path costs per request)`);

  const notes = [];
  if (calm32.length < Math.ceil(n / 2)) notes.push('most rounds were disturbed by other processes; rerun on a quieter machine.');
  if (bare.cpu < 0.8 || portico.cpu < 0.8) {
    notes.push('a proxy used under 80% of its CPU: other processes or the load side held it back, so the ratios are blurred.');
  }
  if (notes.length) console.log(`\n${notes.map((note) => `note: ${note}`).join('\n')}`);
  const everything = (key) => summarize(rounds[key].map((r) => r.c32), rounds[key].map((r) => r.c1));
  const broken = [['origin-direct', origin], ['http-proxy-3', everything('bare')], ['portico', everything('portico')]]
    .filter(([, s]) => s.non2xx + s.errors > 0);
  for (const [name, s] of broken) console.log(`INVALID: ${name} had ${s.non2xx} non-2xx answers and ${s.errors} errors`);
  return broken.length === 0;
}
