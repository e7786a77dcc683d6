// Every trust store Portico found, with its status and a Trust/Untrust button. The exact
// commands are one click away before anything runs: some ask for an administrator password.
import { useCallback, useEffect, useState } from 'react';
import type { DoctorReport, StoreReport } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { doctorProblems, problemsHeading } from './doctor-problems.js';

const STATE_CLASS: Record<StoreReport['status']['state'], string> = {
  trusted: 'good',
  'not trusted': 'bad',
  'not present': 'muted',
  unknown: 'warn',
};

export function TrustStores() {
  const [stores, setStores] = useState<StoreReport[] | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [doctor, setDoctor] = useState<DoctorReport | undefined>();
  const [trustedIn, setTrustedIn] = useState<string | undefined>();

  const load = useCallback(() => client.call('trust.status').then(setStores, (e: Error) => setMessage(e.message)), []);
  useEffect(() => void load(), [load]);

  const change = async (store: StoreReport, action: 'trust.install' | 'trust.uninstall') => {
    setBusy(store.id);
    setMessage(undefined);
    try {
      const [result] = await client.call(action, { only: [store.id] });
      if (result && !result.ok) setMessage(`${store.label}: ${result.message ?? 'failed'}`);
      else if (action === 'trust.install') setTrustedIn(store.label);
      await load();
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const runDoctor = () => client.call('doctor').then(setDoctor, (e: Error) => setMessage(e.message));

  if (!stores) return <p className="muted">{message ?? 'Looking for trust stores…'}</p>;
  return (
    <>
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
      <table className="trust-table">
        <thead>
          <tr>
            <th scope="col">Store</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {stores.map((store) => (
            <tr key={store.id} data-store={store.id}>
              <td>
                {store.label}
                <details>
                  <summary className="muted">Commands</summary>
                  <pre className="mono">{(store.status.state === 'trusted' ? store.uninstallCommands : store.installCommands).join('\n')}</pre>
                </details>
              </td>
              <td className={STATE_CLASS[store.status.state]}>
                {store.status.state}
                {store.status.detail && <div className="muted small">{store.status.detail}</div>}
              </td>
              <td>
                {store.status.state === 'trusted' ? (
                  <button type="button" className="btn small" disabled={busy !== undefined} onClick={() => void change(store, 'trust.uninstall')}>
                    Untrust
                  </button>
                ) : store.status.state !== 'not present' ? (
                  <button type="button" className="btn small primary" disabled={busy !== undefined} onClick={() => void change(store, 'trust.install')}>
                    {busy === store.id ? 'Trusting…' : 'Trust'}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {trustedIn && <RestartNote store={trustedIn} />}
      <p>
        <button type="button" className="btn" onClick={() => void runDoctor()}>
          Run doctor
        </button>
      </p>
      {doctor && (
        <div className="note" aria-live="polite">
          <p className={doctor.handshake.ok ? 'good' : 'bad'}>
            TLS handshake to {doctor.handshake.host}: {doctor.handshake.ok ? 'verified' : `failed (${doctor.handshake.code ?? doctor.handshake.message ?? 'error'})`} against{' '}
            {doctor.handshake.against}
            {doctor.handshake.fix && <> — fix: <code>{doctor.handshake.fix}</code></>}
          </p>
          <ul>
            {doctor.browsers.map((b) => (
              <li key={b.browser}>
                {b.browser}: {b.trusts === 'yes' ? 'trusts it' : b.trusts === 'no' ? 'does not trust it' : 'unknown'} — {b.why}
                {b.fix && <> (fix: <code>{b.fix}</code>)</>}
              </li>
            ))}
          </ul>
          <DoctorProblems report={doctor} />
        </div>
      )}
    </>
  );
}

function DoctorProblems({ report }: { report: DoctorReport }) {
  const problems = doctorProblems(report);
  return (
    <>
      <p>{problemsHeading(problems.length)}</p>
      {problems.length > 0 && (
        <ul aria-label="Problems">
          {problems.map((problem) => (
            <li key={problem.text} className="bad">
              {problem.text}
              {problem.fix && <> — fix: <code>{problem.fix}</code></>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Browsers read their trust store at start: one already open keeps refusing until restarted. */
function RestartNote({ store }: { store: string }) {
  const fresh = 'chromium --user-data-dir="$(mktemp -d)" https://your-app.localhost/';
  return (
    <div className="note" role="status">
      <p>
        Trusted in {store}. A browser that is already running keeps rejecting Portico&apos;s certificate until you quit and reopen it
        (every window).
      </p>
      <p className="hint">
        To test without restarting, open a fresh browser profile: <code>{fresh}</code> (or <code>google-chrome</code>, <code>firefox -profile
        $(mktemp -d)</code>).
      </p>
    </div>
  );
}
