// The switches every route gets unless it sets its own (settings.defaults), with the same
// fields as the route form. Saved with settings.set and in force at once.
import { useEffect, useState, type FormEvent } from 'react';
import { RouteDefaultsSchema, type RouteInput, type Settings } from '../../../../proxy-core/contract/index.js';
import { CommandFailed, client } from '../../api/client.js';
import { useStore } from '../../store/store.js';
import { fieldErrors, type FieldErrors, type Issue } from '../routes/form-model.js';
import { SwitchFields } from '../routes/switches/SwitchFields.js';

export function DefaultsSection({ defaults }: { defaults: Settings['defaults'] }) {
  const [draft, setDraft] = useState<Partial<RouteInput>>(defaults);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const toast = useStore((s) => s.toast);
  useEffect(() => setDraft(defaults), [defaults]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = RouteDefaultsSchema.safeParse(draft);
    setErrors(checked.success ? {} : fieldErrors(checked.error.issues as Issue[]));
    if (!checked.success) return;
    try {
      await client.call('settings.set', { defaults: checked.data });
      setProblems([]);
      toast({ text: 'Route defaults saved' });
    } catch (error) {
      setProblems(error instanceof CommandFailed && error.issues.length ? error.issues : [(error as Error).message]);
    }
  };

  return (
    <section className="section" aria-labelledby="defaults-title">
      <h2 id="defaults-title">Route defaults</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <p className="hint">What a route gets when it does not set a switch itself.</p>
        <SwitchFields scope="defaults" values={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} defaults={undefined} errors={errors} />
        {problems.length > 0 && (
          <ul className="field-error" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div>
          <button type="submit" className="btn primary">
            Save defaults
          </button>
        </div>
      </form>
    </section>
  );
}
