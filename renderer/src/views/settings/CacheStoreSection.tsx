// The response cache's memory (settings.cacheStore), shared by every route with the cache
// on. Entered in MiB, sent as bytes; the schema's own words when a value will not do.
import { useEffect, useState, type FormEvent } from 'react';
import { CacheStoreSchema, type Settings } from '../../../../proxy-core/contract/index.js';
import { CommandFailed, client } from '../../api/client.js';
import { useStore } from '../../store/store.js';

type CacheStore = Settings['cacheStore'];

const MiB = 1024 * 1024;
const toMiB = (bytes: number) => String(Math.round((bytes / MiB) * 100) / 100);
const LABELS: Record<string, string> = { maxBytes: 'Cache memory', maxEntryBytes: 'Largest stored body' };

export function CacheStoreSection({ store }: { store: CacheStore }) {
  const [draft, setDraft] = useState({ maxMiB: toMiB(store.maxBytes), entryMiB: toMiB(store.maxEntryBytes) });
  const [problems, setProblems] = useState<string[]>([]);
  const toast = useStore((s) => s.toast);
  useEffect(() => setDraft({ maxMiB: toMiB(store.maxBytes), entryMiB: toMiB(store.maxEntryBytes) }), [store]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = CacheStoreSchema.safeParse({ maxBytes: Math.round(Number(draft.maxMiB) * MiB), maxEntryBytes: Math.round(Number(draft.entryMiB) * MiB) });
    if (!checked.success) {
      return setProblems(checked.error.issues.map((i) => `${LABELS[String(i.path[0])] ?? ''} ${i.message}`.trim()));
    }
    try {
      await client.call('settings.set', { cacheStore: checked.data });
      setProblems([]);
      toast({ text: 'Cache memory saved' });
    } catch (error) {
      setProblems(error instanceof CommandFailed && error.issues.length ? error.issues : [(error as Error).message]);
    }
  };

  return (
    <section className="section" aria-labelledby="cache-store-title">
      <h2 id="cache-store-title">Response cache</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <p className="hint">Shared by every route with the cache on; the least recently used responses go first.</p>
        <div className="settings-grid">
          <div className="field">
            <label htmlFor="cache-max">Cache memory (MiB)</label>
            <input id="cache-max" className="input" type="number" min={0} step="any" value={draft.maxMiB} onChange={(e) => setDraft((d) => ({ ...d, maxMiB: e.target.value }))} />
            <span className="hint">Headers and bodies of stored responses.</span>
          </div>
          <div className="field">
            <label htmlFor="cache-entry">Largest stored body (MiB)</label>
            <input id="cache-entry" className="input" type="number" min={0} step="any" value={draft.entryMiB} onChange={(e) => setDraft((d) => ({ ...d, entryMiB: e.target.value }))} />
            <span className="hint">Larger bodies pass through, never stored.</span>
          </div>
        </div>
        {problems.length > 0 && (
          <ul className="field-error" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div>
          <button type="submit" className="btn primary">
            Save cache memory
          </button>
        </div>
      </form>
    </section>
  );
}
