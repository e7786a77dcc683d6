// The local CA: what it is, what it may sign, where it is trusted, how to make Node trust it.
import { client } from '../../api/client.js';
import { CopyButton } from '../../components/CopyButton.js';
import { downloadText } from '../../lib/download.js';
import { formatDate } from '../../lib/format.js';
import { shellQuote } from '../../lib/curl.js';
import { useStore } from '../../store/store.js';
import { TrustStores } from './TrustStores.js';

export function CertificatesView() {
  const ca = useStore((s) => s.ca);
  const error = useStore((s) => s.caError);
  const setCa = useStore((s) => s.setCa);
  const reload = () =>
    client.call('ca.info').then(
      (info) => setCa(info),
      (e: Error) => setCa(undefined, e.message),
    );
  if (error) {
    return (
      <div className="page">
        <p className="field-error" role="alert">
          Could not read the CA: {error}
        </p>
        <button type="button" className="btn" onClick={() => void reload()}>
          Try again
        </button>
      </div>
    );
  }
  if (!ca) return <div className="page muted">Loading…</div>;
  const nodeLine = `export NODE_EXTRA_CA_CERTS=${shellQuote(ca.files.cert)}`;
  const expired = Date.parse(ca.notAfter) < Date.now();
  return (
    <div className="page">
      <section className="section" aria-labelledby="ca-title">
        <div className="page-head">
          <h2 id="ca-title">Local certificate authority</h2>
          <span className="spacer" />
          <CopyButton text={ca.certPem} label="Copy PEM" />
          <button type="button" className="btn small" onClick={() => downloadText('portico-root-ca.pem', ca.certPem, 'application/x-pem-file')}>
            Save PEM…
          </button>
        </div>
        <dl className="kv card-body">
          <dt>Subject</dt>
          <dd>{ca.subject}</dd>
          <dt>SHA-256 fingerprint</dt>
          <dd className="mono">{ca.fingerprintSha256}</dd>
          <dt>Valid</dt>
          <dd className={expired ? 'bad' : undefined}>
            {formatDate(ca.notBefore)} — {formatDate(ca.notAfter)}
            {expired && ' (expired)'}
          </dd>
          <dt>May sign for</dt>
          <dd className="mono">{ca.permitted.join(', ')}</dd>
          <dt>Signature</dt>
          <dd>{ca.signature}</dd>
          <dt>Certificate file</dt>
          <dd className="mono">{ca.files.cert}</dd>
          <dt>Key file</dt>
          <dd className="mono">{ca.files.key}</dd>
        </dl>
        <p className="hint">The root is name-constrained: even if its key leaked, it could not vouch for any name outside the list above.</p>
      </section>
      <section className="section" aria-labelledby="node-title">
        <h2 id="node-title">Node.js</h2>
        <p className="hint">Node ignores the OS trust store. Add this to your shell profile so Node clients trust Portico&apos;s HTTPS:</p>
        <div className="codeline">
          <code>{nodeLine}</code>
          <CopyButton text={nodeLine} title="Copy the NODE_EXTRA_CA_CERTS line" />
        </div>
      </section>
      <section className="section" aria-labelledby="trust-title">
        <h2 id="trust-title">Trust stores</h2>
        <p className="hint">
          Adds this root to the system store and each browser&apos;s database so they trust Portico&apos;s HTTPS. Some stores ask for an administrator password.
          The same in a terminal: <code>portico trust</code>, <code>portico untrust</code>, <code>portico doctor</code>.
        </p>
        <TrustStores />
      </section>
      {ca.retired.length > 0 && (
        <section className="section" aria-labelledby="retired-title">
          <h2 id="retired-title">Retired roots</h2>
          <ul className="mono">
            {ca.retired.map((r) => (
              <li key={r.fingerprintSha256}>
                {r.subject} — {r.fingerprintSha256.slice(0, 23)}… ({r.file})
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
