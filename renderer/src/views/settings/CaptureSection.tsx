// Capture limits, saved with settings.set (in force at once). Sizes are entered in the
// units people think in (MiB, KiB) and sent as bytes.
import { useState, type FormEvent } from 'react';
import type { CaptureSettings } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { NumberField, SectionFooter, useSavedDraft, useSectionSave } from './section-parts.js';

interface Draft {
  enabled: boolean;
  maxExchanges: string;
  maxMiB: string;
  bodyKiB: string;
  wsMessages: string;
}

const toDraft = (c: CaptureSettings): Draft => ({
  enabled: c.enabled,
  maxExchanges: String(c.maxExchanges),
  maxMiB: String(Math.round(c.maxBytes / 1024 / 1024)),
  bodyKiB: String(Math.round(c.bodyLimit / 1024)),
  wsMessages: String(c.wsMessageLimit),
});

export function CaptureSection({ capture }: { capture: CaptureSettings }) {
  const [draft, setDraft] = useSavedDraft(capture, toDraft);
  const { problems, run } = useSectionSave();
  const [confirming, setConfirming] = useState<{ limit: number; stored: number } | undefined>();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = {
      ...capture,
      enabled: draft.enabled,
      maxExchanges: Number(draft.maxExchanges),
      maxBytes: Number(draft.maxMiB) * 1024 * 1024,
      bodyLimit: Number(draft.bodyKiB) * 1024,
      wsMessageLimit: Number(draft.wsMessages),
    };
    // A lower limit drops the oldest exchanges at once: say how many, and ask first.
    const stored = (await client.call('status')).capture.exchanges;
    if (stored > next.maxExchanges && confirming?.limit !== next.maxExchanges) return setConfirming({ limit: next.maxExchanges, stored });
    setConfirming(undefined);
    await run(() => client.call('settings.set', { capture: next }), 'Capture limits saved');
  };

  const number = (id: string, label: string, value: string, key: keyof Draft, hint: string) => (
    <NumberField id={id} label={label} hint={hint} value={value} onChange={(text) => set({ [key]: text })} />
  );

  return (
    <section className="section" aria-labelledby="capture-title">
      <h2 id="capture-title">Capture</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <label className="row-flex">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Record traffic for the inspector
        </label>
        <div className="settings-grid">
          {number('cap-max', 'Keep at most (requests)', draft.maxExchanges, 'maxExchanges', 'The oldest go first.')}
          {number('cap-bytes', 'Keep at most (MiB)', draft.maxMiB, 'maxMiB', 'Headers and bodies together.')}
          {number('cap-body', 'Body limit (KiB)', draft.bodyKiB, 'bodyKiB', 'Bytes kept of each body; the rest is counted.')}
          {number('cap-ws', 'WebSocket messages', draft.wsMessages, 'wsMessages', 'Kept per connection.')}
        </div>
        {confirming !== undefined && (
          <p className="warn" role="alert">
            Keeping at most {confirming.limit} requests drops the {confirming.stored - confirming.limit} oldest of the {confirming.stored} recorded
            now, at once. Save again to go ahead.
          </p>
        )}
        <SectionFooter problems={problems} saveLabel={confirming !== undefined ? 'Drop them and save' : 'Save capture limits'} />
      </form>
    </section>
  );
}
