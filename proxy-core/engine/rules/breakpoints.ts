// Exchanges paused at a breakpoint rule, waiting for someone to resume, edit or abort them.
// Nothing waits forever: a pause nobody touches goes on unchanged after `timeoutMs`, and a
// client that gives up (closes its connection or stream) ends its pause. Outlives config
// changes: a paused exchange keeps its place when the rules are edited.
import type { BreakpointEdits, BreakpointResumed, Paused, ResumeOutcome } from '../../contract/index.js';
import { BREAKPOINT_TIMEOUT_MS } from '../../contract/index.js';

export type Decision = { go: true; edits?: BreakpointEdits | undefined } | { go: false; why: 'aborted' | 'cancelled' };

export interface BreakpointListener {
  paused(paused: Paused): void;
  resumed(resumed: BreakpointResumed): void;
}

/** What the pause needs to know about the client: when it leaves. */
interface Leaving {
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

interface Waiting {
  view: Paused;
  settle(outcome: ResumeOutcome, decision: Decision): void;
}

export class Breakpoints {
  private readonly waiting = new Map<string, Waiting>();
  private next = 1;

  constructor(
    private readonly listener: BreakpointListener | undefined,
    private readonly timeoutMs = BREAKPOINT_TIMEOUT_MS,
  ) {}

  list(): Paused[] {
    return [...this.waiting.values()].map((w) => w.view);
  }

  /** Pauses until a decision: resume (maybe with edits), abort, time out (resume unchanged), or the client leaves (abort). */
  pause(what: Omit<Paused, 'id' | 'pausedAt' | 'resumesAt'>, client: Leaving): Promise<Decision> {
    const id = `b${this.next++}`;
    const pausedAt = Date.now();
    const view: Paused = { ...what, id, pausedAt, resumesAt: pausedAt + this.timeoutMs };
    return new Promise<Decision>((resolve) => {
      const settle = (outcome: ResumeOutcome, decision: Decision) => {
        if (!this.waiting.delete(id)) return;
        clearTimeout(timer);
        client.off('close', left);
        this.listener?.resumed({ id, exchangeId: view.exchangeId, outcome });
        resolve(decision);
      };
      const left = () => settle('cancelled', { go: false, why: 'cancelled' });
      const timer = setTimeout(() => settle('timed out', { go: true }), this.timeoutMs);
      timer.unref();
      client.once('close', left);
      this.waiting.set(id, { view, settle });
      this.listener?.paused(view);
    });
  }

  resume(id: string, edits?: BreakpointEdits): boolean {
    const waiting = this.waiting.get(id);
    if (!waiting) return false;
    const edited = edits !== undefined && Object.values(edits).some((v) => v !== undefined);
    waiting.settle(edited ? 'edited' : 'resumed', { go: true, edits: edited ? edits : undefined });
    return true;
  }

  abort(id: string): boolean {
    const waiting = this.waiting.get(id);
    if (!waiting) return false;
    waiting.settle('aborted', { go: false, why: 'aborted' });
    return true;
  }
}
