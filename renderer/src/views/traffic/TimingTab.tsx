// Where the time went: a throttle's added latency, connecting to the backend, waiting for
// its first byte, downloading. The throttle has its own phase so that a Slow 3G route
// does not read as a slow backend connection.
import type { ExchangeSummary } from '../../../../proxy-core/contract/index.js';
import { formatDuration, formatTime } from '../../lib/format.js';

export function TimingTab({ x }: { x: ExchangeSummary }) {
  const { throttled, connected, firstByte, end } = x.timings;
  const total = end ?? firstByte ?? connected ?? 0;
  const phases = [
    ...(throttled === undefined ? [] : [{ key: 'throttle', label: 'Throttle (added latency)', from: 0, to: throttled }]),
    { key: 'connect', label: 'Connect', from: throttled ?? 0, to: connected },
    { key: 'wait', label: 'Waiting (time to first byte)', from: connected ?? 0, to: firstByte },
    { key: 'download', label: 'Download', from: firstByte ?? 0, to: end },
  ];
  return (
    <div className="tabbody">
      <p className="muted">
        Started {formatTime(x.startedAt)} · total {end === undefined ? 'still running' : formatDuration(end)}
      </p>
      <div className="timing">
        {phases.map((p) => {
          const ms = p.to === undefined ? undefined : Math.max(0, p.to - p.from);
          const left = total > 0 ? (p.from / total) * 100 : 0;
          const width = total > 0 && ms !== undefined ? Math.max((ms / total) * 100, 0.5) : 0;
          return (
            <div key={p.key} className="timing-row">
              <span className="timing-label">{p.label}</span>
              <span className="timing-track" aria-hidden="true">
                <span className={`timing-bar t-${p.key}`} style={{ marginLeft: `${left}%`, width: `${width}%` }} />
              </span>
              <span className="timing-ms mono">{ms === undefined ? '—' : formatDuration(ms)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
