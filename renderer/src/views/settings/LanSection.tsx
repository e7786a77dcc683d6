// LAN sharing: the one switch that lets other devices (a phone) reach the routes marked
// "Share on my network", the address and first port, and for each shared host its LAN
// address, the token link and that link's QR code (made by the engine, shown as an image).
import type { FormEvent } from 'react';
import type { LanSettings, LanShare } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { copyText } from '../../lib/clipboard.js';
import { useStore } from '../../store/store.js';
import { NumberField, SectionFooter, useSavedDraft, useSectionSave } from './section-parts.js';

function ShareRow({ share }: { share: LanShare }) {
  const toast = useStore((s) => s.toast);
  const copy = () => copyText(share.link).then(() => toast({ text: `Copied the link for ${share.host}` }), (e: Error) => toast({ text: e.message, tone: 'error' }));
  return (
    <li className="lan-share" aria-label={`${share.host} on the network`}>
      <img className="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(share.qrSvg)}`} alt={`QR code of the link for ${share.host}`} width={132} height={132} />
      <div className="field">
        <strong className="mono">{share.host}</strong>
        <span className="mono">{share.url}</span>
        <span className="hint">{share.routes.join(', ')}</span>
        <div>
          <button type="button" className="btn small" onClick={() => void copy()}>
            Copy link with token
          </button>
        </div>
      </div>
    </li>
  );
}

export function LanSection({ lan }: { lan: LanSettings }) {
  const status = useStore((s) => s.lan);
  const setLan = useStore((s) => s.setLan);
  const [draft, setDraft] = useSavedDraft(lan, (saved) => ({ enabled: saved.enabled, address: saved.address, port: String(saved.port) }));
  const { problems, run } = useSectionSave();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    await run(
      async () => setLan(await client.call('lan.set', { enabled: draft.enabled, address: draft.address, port: Number(draft.port) })),
      draft.enabled ? 'LAN sharing is on' : 'LAN sharing is off',
    );
  };

  return (
    <section className="section" aria-labelledby="lan-title">
      <h2 id="lan-title">Sharing on your network</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <label className="row-flex">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
          Serve the routes marked &quot;Share on my network&quot; to other devices (they need the link with the token)
        </label>
        <div className="settings-grid">
          <div className="field">
            <label htmlFor="lan-address">LAN address</label>
            <input id="lan-address" className="input mono" value={draft.address} onChange={(e) => setDraft((d) => ({ ...d, address: e.target.value }))} />
            <span className="hint">&quot;auto&quot;: this machine&apos;s first network address.</span>
          </div>
          <NumberField id="lan-port" label="First port" hint="Each shared host gets its own port from here." value={draft.port} onChange={(port) => setDraft((d) => ({ ...d, port }))} />
        </div>
        <SectionFooter problems={problems} saveLabel="Save sharing" />
      </form>
      {status?.error && (
        <p className="field-error" role="alert">
          {status.error}
        </p>
      )}
      {status?.enabled && status.shares.length === 0 && !status.error && <p className="muted">No route is marked &quot;Share on my network&quot; yet.</p>}
      {status?.enabled && status.shares.length > 0 && (
        <ul className="lan-shares" aria-label="Shared hosts">
          {status.shares.map((share) => (
            <ShareRow key={share.host} share={share} />
          ))}
        </ul>
      )}
    </section>
  );
}
