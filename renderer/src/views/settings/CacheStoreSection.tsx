// The response cache's memory (settings.cacheStore), shared by every route with the cache
// on. Entered in MiB, sent as bytes; the schema's own words when a value will not do.
import type { FormEvent } from 'react';
import { CacheStoreSchema, type Settings } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { NumberField, SectionFooter, useSavedDraft, useSectionSave } from './section-parts.js';

type CacheStore = Settings['cacheStore'];

const MiB = 1024 * 1024;
const toMiB = (bytes: number) => String(Math.round((bytes / MiB) * 100) / 100);
const LABELS: Record<string, string> = { maxBytes: 'Cache memory', maxEntryBytes: 'Largest stored body' };

export function CacheStoreSection({ store }: { store: CacheStore }) {
  const [draft, setDraft] = useSavedDraft(store, (saved) => ({ maxMiB: toMiB(saved.maxBytes), entryMiB: toMiB(saved.maxEntryBytes) }));
  const { problems, setProblems, run } = useSectionSave();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = CacheStoreSchema.safeParse({ maxBytes: Math.round(Number(draft.maxMiB) * MiB), maxEntryBytes: Math.round(Number(draft.entryMiB) * MiB) });
    if (!checked.success) {
      return setProblems(checked.error.issues.map((i) => `${LABELS[String(i.path[0])] ?? ''} ${i.message}`.trim()));
    }
    await run(() => client.call('settings.set', { cacheStore: checked.data }), 'Cache memory saved');
  };

  return (
    <section className="section" aria-labelledby="cache-store-title">
      <h2 id="cache-store-title">Response cache</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <p className="hint">Shared by every route with the cache on; the least recently used responses go first.</p>
        <div className="settings-grid">
          <NumberField id="cache-max" label="Cache memory (MiB)" hint="Headers and bodies of stored responses." step="any" value={draft.maxMiB} onChange={(maxMiB) => setDraft((d) => ({ ...d, maxMiB }))} />
          <NumberField id="cache-entry" label="Largest stored body (MiB)" hint="Larger bodies pass through, never stored." step="any" value={draft.entryMiB} onChange={(entryMiB) => setDraft((d) => ({ ...d, entryMiB }))} />
        </div>
        <SectionFooter problems={problems} saveLabel="Save cache memory" />
      </form>
    </section>
  );
}
