// Where Portico listens now (status) next to what the config asks for (settings): they
// differ when the config says 0 (a free port), a command-line flag overrides it, or HTTPS
// could not start on its port.
import type { Settings } from '../../../../proxy-core/contract/index.js';
import type { Status } from '../../store/types.js';

function why(configured: number, actual: number | undefined): string | undefined {
  if (actual === undefined) return 'not listening: the port could not be opened (see the terminal or log for why)';
  if (configured === actual) return undefined;
  if (configured === 0) return 'the config says 0: a free port was picked';
  return `the config says ${configured}: a command-line flag (--http-port / --https-port) or a fallback port is in use`;
}

export function ListenersSection({ settings, status }: { settings: Settings; status: Status }) {
  const rows = [
    { name: 'HTTP', configured: settings.http.port, actual: status.http.port, host: status.http.host },
    { name: 'HTTPS', configured: settings.https.port, actual: status.https?.port, host: status.https?.host },
  ];
  return (
    <section className="section" aria-labelledby="listeners-title">
      <h2 id="listeners-title">Ports</h2>
      <dl className="kv">
        {rows.map((r) => {
          const note = why(r.configured, r.actual);
          return (
            <div key={r.name} className="kv-pair">
              <dt>{r.name}</dt>
              <dd>
                {r.actual !== undefined ? (
                  <span className="mono">
                    {r.host}:{r.actual}
                  </span>
                ) : (
                  <span className="bad">off</span>
                )}
                {note && <span className="hint"> — {note}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="hint">
        Ports are read at start: change <code>http.port</code> / <code>https.port</code> in the config file and restart. Ports below 1024 need privileges on
        Linux (<code>portico doctor</code> explains the options).
      </p>
    </section>
  );
}
