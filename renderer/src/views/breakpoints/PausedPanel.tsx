// Exchanges paused at a breakpoint, each with its editor; shown above Traffic's list and
// in Rules as soon as the breakpoint.paused event arrives; their Traffic rows are
// highlighted (useIsPaused).
import { useRules } from '../../store/rules-store.js';
import { BreakpointEditor } from './BreakpointEditor.js';

/** True while this exchange is paused at a breakpoint (its Traffic row is highlighted). */
export function useIsPaused(exchangeId: string): boolean {
  return useRules((s) => s.paused.some((p) => p.exchangeId === exchangeId));
}

export function PausedPanel() {
  const paused = useRules((s) => s.paused);
  return (
    <>
      {paused.length > 0 && (
        <div className="bp-panel" role="region" aria-label="Paused exchanges">
          {paused.map((p) => (
            <BreakpointEditor key={p.id} paused={p} />
          ))}
        </div>
      )}
    </>
  );
}

/** The number of paused exchanges, for a tab. */
export function PausedBadge() {
  const n = useRules((s) => s.paused.length);
  if (n === 0) return null;
  return (
    <span className="count paused-badge" aria-label={`${n} paused`}>
      {n} paused
    </span>
  );
}
