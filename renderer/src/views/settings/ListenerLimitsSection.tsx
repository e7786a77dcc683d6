// The limits every listener enforces while reading a request, before any route is known
// (settings.firewall): header size and slow clients. Read at start, so saved for the next.
import type { FormEvent } from 'react';
import { FirewallSettingsSchema, type FirewallSettings } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { NumberField, SectionFooter, useSavedDraft, useSectionSave } from './section-parts.js';

const FIELDS = [
  { key: 'maxHeaderBytes', label: 'Largest request head (bytes)', hint: 'Request line and headers; more gets 431.' },
  { key: 'headersTimeoutMs', label: 'Headers within (ms)', hint: 'A slower client gets 408.' },
  { key: 'requestTimeoutMs', label: 'Whole request within (ms)', hint: 'Headers and body; 0 means no limit.' },
] as const;

type Draft = Record<(typeof FIELDS)[number]['key'], string>;
const toDraft = (f: FirewallSettings): Draft => ({ maxHeaderBytes: String(f.maxHeaderBytes), headersTimeoutMs: String(f.headersTimeoutMs), requestTimeoutMs: String(f.requestTimeoutMs) });

export function ListenerLimitsSection({ limits }: { limits: FirewallSettings }) {
  const [draft, setDraft] = useSavedDraft(limits, toDraft);
  const { problems, setProblems, run } = useSectionSave();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = FirewallSettingsSchema.safeParse(Object.fromEntries(FIELDS.map(({ key }) => [key, Number(draft[key])])));
    if (!checked.success) {
      return setProblems(checked.error.issues.map((i) => `${FIELDS.find((f) => f.key === i.path[0])?.label ?? ''} ${i.message}`.trim()));
    }
    await run(() => client.call('settings.set', { firewall: checked.data }), 'Listener limits saved: in force after a restart');
  };

  return (
    <section className="section" aria-labelledby="limits-title">
      <h2 id="limits-title">Listener limits</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <p className="hint">Checked while a request is read, before any route is known. Take effect at the next start.</p>
        <div className="settings-grid">
          {FIELDS.map(({ key, label, hint }) => (
            <NumberField key={key} id={`limit-${key}`} label={label} hint={hint} value={draft[key]} onChange={(text) => setDraft((d) => ({ ...d, [key]: text }))} />
          ))}
        </div>
        <SectionFooter problems={problems} saveLabel="Save listener limits" />
      </form>
    </section>
  );
}
