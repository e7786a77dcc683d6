// The switches every route gets unless it sets its own (settings.defaults), with the same
// fields as the route form. Saved with settings.set and in force at once.
import { useState, type FormEvent } from 'react';
import { RouteDefaultsSchema, type RouteInput, type Settings } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { fieldErrors, type FieldErrors, type Issue } from '../routes/form-model.js';
import { SwitchFields } from '../routes/switches/SwitchFields.js';
import { SectionFooter, useSavedDraft, useSectionSave } from './section-parts.js';

export function DefaultsSection({ defaults }: { defaults: Settings['defaults'] }) {
  const [draft, setDraft] = useSavedDraft<Settings['defaults'], Partial<RouteInput>>(defaults, (saved) => saved);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { problems, run } = useSectionSave();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = RouteDefaultsSchema.safeParse(draft);
    setErrors(checked.success ? {} : fieldErrors(checked.error.issues as Issue[]));
    if (!checked.success) return;
    await run(() => client.call('settings.set', { defaults: checked.data }), 'Route defaults saved');
  };

  return (
    <section className="section" aria-labelledby="defaults-title">
      <h2 id="defaults-title">Route defaults</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <p className="hint">What a route gets when it does not set a switch itself.</p>
        <SwitchFields scope="defaults" values={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} defaults={undefined} errors={errors} />
        <SectionFooter problems={problems} saveLabel="Save defaults" />
      </form>
    </section>
  );
}
