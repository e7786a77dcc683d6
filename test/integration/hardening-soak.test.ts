// The short soak (the long one is `npm run soak`): mixed HTTP, HTTPS and WebSocket traffic
// through the built engine in a child process with capture on. After warm-up, resident
// memory stays within LIMITS.rssGrowthMB and the engine holds no more descriptors.
import { describe, expect, it } from 'vitest';
import { LIMITS, runSoak } from '../soak/soak.mjs';

// About 50,000 would be the aim. On a shared 2-core machine, with other suites and
// benches running (load average 10-15), 20,000 took over five minutes; 12,000 keeps the
// suite bearable there and still gives four samples after a full capture store.
// `npm run soak` runs the million.
const REQUESTS = 12_000;

describe('short soak', () => {
  it(`${REQUESTS} mixed requests: flat memory, no descriptor growth, every request answered`, { timeout: 600_000 }, async () => {
    const report = await runSoak({ requests: REQUESTS, samples: 4, capture: { enabled: true, maxExchanges: 2_000, maxBytes: 32 * 1024 * 1024 } });
    const points = report.points.map((p) => `${p.done}: ${p.rssMB} MB (heap ${p.heapMB}, archive ${p.archiveMB}), ${p.fds} fds`).join('; ');
    // The memory line, for whoever reads the suite's output.
    console.log(`short soak: ${points}`);
    expect(report.failures, points).toEqual({});
    expect(Object.keys(report.tally).sort()).toEqual(['http', 'https', 'ws', 'wss']);
    expect(report.rssGrowthMB, points).toBeLessThan(LIMITS.rssGrowthMB);
    expect(report.fdGrowth, points).toBeLessThanOrEqual(LIMITS.fdGrowth);
    // The store filled during warm-up, so the flat line includes a full capture store.
    expect(report.points[0]!.captured).toBe(2_000);
  });
});
