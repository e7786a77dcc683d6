// "Add route" / "Edit route" in a native modal <dialog>: the browser traps focus, Escape
// closes it, and focus returns to the button that opened it. Checked with the contract's
// schema as you submit; the server's own problems (a duplicate host, a name outside the
// CA) come back as `issues` and are listed under the fields.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Route } from '../../../../proxy-core/contract/index.js';
import { CommandFailed, client } from '../../api/client.js';
import { emptyForm, formFromRoute, inputFromForm, validate, type FieldErrors, type FormValues } from './form-model.js';
import { placeServerIssues } from './server-issues.js';
import { TargetFields } from './TargetFields.js';
import { SwitchFields } from './switches/SwitchFields.js';
import { PendingPasswordsContext, usePendingPasswordsState } from './switches/pending-passwords.js';
import { useStore } from '../../store/store.js';

export function RouteForm({ route, onClose }: { route: Route | undefined; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<FormValues>(() => (route ? formFromRoute(route) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverIssues, setServerIssues] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const defaults = useStore((s) => s.settings?.defaults);
  const passwords = usePendingPasswordsState();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  // After a refused submit, the eye goes where the problem is: the first field at fault
  // (or, for a message that names no field, the message) is scrolled to and focused.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (attempt === 0) return;
    const form = dialog.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.field-error');
    if (!target) return;
    if (!target.matches('input, select, textarea, button')) target.tabIndex = -1;
    target.scrollIntoView({ block: 'center' });
    target.focus();
  }, [attempt]);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = validate(values);
    setErrors(problems ?? {});
    setServerIssues([]);
    if (problems) {
      setAttempt((n) => n + 1);
      return;
    }
    const { user, password } = passwords.typed.current;
    if (values.switches.auth && user.trim() !== '' && password === '') {
      setErrors({ 'auth.basic.users': `Type a password for ${user.trim()}, or clear the user name` });
      setAttempt((n) => n + 1);
      return;
    }
    const toSet = values.switches.auth ? passwords.toSet() : [];
    setBusy(true);
    try {
      const saved = route?.id
        ? await client.call('routes.update', { id: route.id, route: inputFromForm(values, route.id) })
        : await client.call('routes.create', inputFromForm(values));
      for (const credentials of toSet) await client.call('routes.setPassword', { id: saved.id!, ...credentials });
      onClose();
    } catch (error) {
      const failed = error instanceof CommandFailed ? error : undefined;
      const placed = placeServerIssues(failed?.issues.length ? failed.issues : [(error as Error).message], values);
      setErrors(placed.fields);
      setServerIssues(placed.general);
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (name: string) => ({
    id: `route-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `route-${name}-error` : undefined,
  });

  return (
    <dialog ref={dialog} className="modal" aria-labelledby="route-form-title" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="modal-body">
          <h2 id="route-form-title">{route ? `Edit ${route.host}` : 'Add route'}</h2>
          <div className="field">
            <label htmlFor="route-host">Host</label>
            <input className="input" {...fieldProps('host')} autoFocus value={values.host} placeholder="shop.localhost" spellCheck={false} onChange={(e) => set('host', e.target.value)} />
            {errors['host'] && <span id="route-host-error" className="field-error">{errors['host']}</span>}
          </div>
          <div className="field">
            <label htmlFor="route-pathPrefix">Path prefix</label>
            <input className="input" {...fieldProps('pathPrefix')} value={values.pathPrefix} placeholder="/ (every path)" spellCheck={false} onChange={(e) => set('pathPrefix', e.target.value)} />
            {errors['pathPrefix'] && <span id="route-pathPrefix-error" className="field-error">{errors['pathPrefix']}</span>}
          </div>
          {values.switches.redirect === undefined ? (
            <TargetFields targets={values.targets} errors={errors} onChange={(targets) => set('targets', targets)} />
          ) : (
            <p className="hint">This route answers with a redirect (see Switches below): it has no target.</p>
          )}
          <div className="field">
            <label htmlFor="route-https">HTTPS</label>
            <select id="route-https" className="input" value={values.https} onChange={(e) => set('https', e.target.value as FormValues['https'])}>
              <option value="both">HTTP and HTTPS</option>
              <option value="redirect">Redirect HTTP to HTTPS</option>
              <option value="off">HTTP only</option>
            </select>
          </div>
          <label className="row-flex">
            <input type="checkbox" checked={values.changeOrigin} onChange={(e) => set('changeOrigin', e.target.checked)} />
            Send the target&apos;s host as Host (for backends that insist on their own name)
          </label>
          <section aria-labelledby="route-switches-title">
            <h3 id="route-switches-title" className="form-section-title">
              Switches
            </h3>
            <PendingPasswordsContext.Provider value={passwords}>
            <SwitchFields
              scope="route"
              values={values.switches}
              set={(patch) => set('switches', { ...values.switches, ...patch })}
              defaults={defaults}
              errors={errors}
              routeId={route?.id}
            />
            </PendingPasswordsContext.Provider>
          </section>
          {serverIssues.length > 0 && (
            <div className="field-error" role="alert">
              <p>Portico refused the route:</p>
              <ul>
                {serverIssues.map((issue) => (
                  <li key={issue}>{issue}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <div className="modal-foot">
          <button type="button" className="btn" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            {route ? 'Save' : 'Add route'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
