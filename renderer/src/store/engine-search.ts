// The engine's half of the text filter: rows are summaries without headers, so the engine
// (traffic.search) says which exchanges hold the text in a header. One full question when the
// text has settled; after that, the ids of rows that arrived or finished (their response headers
// came) are asked about in small batches, one question in flight at a time, so the answer
// set only grows and the renderer never queues more than one list of ids.
export type SearchCall = (input: { text: string; ids?: string[]; headersAlone: true }) => Promise<{ ids: string[] }>;

/** How long new ids gather before the engine is asked about them. */
const GATHER_MS = 100;
/**
 * How long the text must stay the same before the engine searches every stored exchange:
 * typing "items" asks once, not five times, and the engine (which proxies the flood at the
 * same time) is spared four full walks — a walk over 100,000 exchanges costs it about half
 * a second of CPU. Keys typed quickly come 100–200 ms apart, so the wait is longer than
 * that. The URL and marks match at once in the renderer.
 */
export const SETTLE_MS = 400;

export class EngineSearch {
  /** Ids the engine matched for the current text (a new set for every text). */
  matches = new Set<string>();
  private text = '';
  private waiting = new Set<string>();
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped for every new text: answers to an older question are dropped. */
  private generation = 0;

  constructor(
    /** Called with ids newly matched, to re-test them in the list. */
    private readonly found: (ids: string[]) => void,
    public call: SearchCall | undefined = undefined,
  ) {}

  /** A new filter text ('' for none): forget the old answers and ask about every row. */
  restart(text: string): void {
    this.generation++;
    this.matches = new Set();
    this.waiting.clear();
    this.busy = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.text = text;
    if (text === '' || !this.call) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.ask(undefined);
    }, SETTLE_MS);
  }

  /** Rows new or finished since the last question: asked about soon. */
  rowsChanged(ids: Iterable<string>): void {
    if (this.text === '' || !this.call) return;
    for (const id of ids) this.waiting.add(id);
    this.schedule();
  }

  private schedule(): void {
    if (this.busy || this.timer !== undefined || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const ids = [...this.waiting];
      this.waiting.clear();
      void this.ask(ids);
    }, GATHER_MS);
  }

  private async ask(ids: string[] | undefined): Promise<void> {
    const generation = this.generation;
    this.busy = true;
    try {
      // Only what the headers alone match: the renderer's filter tests URL and marks itself,
      // and "items" would otherwise name all 100,000 rows, each to re-test in one go.
      const answer = await this.call!({ text: this.text, ...(ids && { ids }), headersAlone: true });
      if (generation !== this.generation) return;
      const fresh = answer.ids.filter((id) => !this.matches.has(id));
      for (const id of fresh) this.matches.add(id);
      if (fresh.length > 0) this.found(fresh);
    } catch {
      // An engine that cannot answer (gone, older) leaves the URL and marks match alone.
    } finally {
      if (generation === this.generation) {
        this.busy = false;
        this.schedule();
      }
    }
  }
}
