// Types for soak.mjs (plain JS so `npm run soak` runs it with node alone).
export declare const LIMITS: { rssGrowthMB: number; fdGrowth: number };
export declare const FULL_SOAK_LIMITS: { rssGrowthMB: number; rssMB: number; fdGrowth: number };

export interface SoakPoint {
  /** Requests done when the sample was taken (at rest). */
  done: number;
  rssMB: number;
  /** The JS heap in use, and what V8 holds for it (young generation included). */
  heapMB: number;
  heapTotalMB: number;
  fds: number;
  /** Exchanges in the capture store. */
  captured: number;
  /** What the capture archive's slabs hold, in MB (10^6 bytes). */
  archiveMB: number;
}

export interface SoakReport {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Outcome → count: "http", "https", "ws", "wss" for successes, anything else is a failure. */
  tally: Record<string, number>;
  points: SoakPoint[];
  rssGrowthMB: number;
  fdGrowth: number;
  failures: Record<string, number>;
  ok: boolean;
}

export declare function runSoak(options: {
  requests: number;
  concurrency?: number;
  samples?: number;
  /** Run the engine without the V8 flags `portico serve` sets (for comparison). */
  v8Defaults?: boolean;
  /** The capture store's settings (its defaults when absent). */
  capture?: { enabled: boolean; maxExchanges?: number; maxBytes?: number };
  log?: (line: string) => void;
}): Promise<SoakReport>;
