// The rule editor in a native modal <dialog>: match fields, then one action and its
// settings, in the config's words. New rules (or ones prefilled from an exchange) are
// created; existing ones updated in place.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { CommandFailed, client } from '../../api/client.js';
import { useRules, type RuleDraft } from '../../store/rules-store.js';
import { fieldsFromRule, ruleFromFields, ruleProblems, type RuleFields } from './rule-form.js';

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}

export function RuleEditor({ draft }: { draft: RuleDraft }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = () => useRules.getState().edit(undefined);
  const [f, setF] = useState<RuleFields>(() => fieldsFromRule(draft.rule));
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => dialog.current?.showModal(), []);
  const set = <K extends keyof RuleFields>(key: K, value: RuleFields[K]) => setF((v) => ({ ...v, [key]: value }));
  const text = (key: keyof RuleFields, placeholder = '') => ({
    id: `rule-${key}`,
    className: 'input mono',
    value: String(f[key]),
    placeholder,
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const rule = ruleFromFields(f);
    const found = ruleProblems(rule);
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    try {
      if (draft.id !== undefined) await client.call('rules.update', { id: draft.id, rule: { ...rule, id: rule.id ?? draft.id } });
      else await client.call('rules.create', { rule });
      close();
    } catch (error) {
      setProblems(error instanceof CommandFailed && error.issues.length ? error.issues : [(error as Error).message]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="modal rule-editor" aria-labelledby="rule-editor-title" onClose={close}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="modal-body">
          <h2 id="rule-editor-title">{draft.id ? `Edit rule ${draft.id}` : 'New rule'}</h2>
          <div className="rule-grid">
            <Field id="rule-id" label="id" hint="Stable name; made up when empty.">
              <input {...text('id', 'cart-500')} />
            </Field>
            <Field id="rule-name" label="name" hint="Shown in marks.">
              <input {...text('name', 'cart 500')} />
            </Field>
          </div>
          <fieldset className="rule-set">
            <legend>match</legend>
            <div className="rule-grid">
              <Field id="rule-host" label="host" hint="Exact or *.wildcard; empty: any.">
                <input {...text('host', 'shop.localhost')} />
              </Field>
              <Field id="rule-method" label="method">
                <input {...text('method', 'GET')} />
              </Field>
              <Field id="rule-pathPrefix" label="pathPrefix">
                <input {...text('pathPrefix', '/api/cart')} />
              </Field>
              <Field id="rule-pathRegex" label="pathRegex">
                <input {...text('pathRegex', '^/v\\d+/')} />
              </Field>
              <Field id="rule-headerName" label="header.name">
                <input {...text('headerName')} />
              </Field>
              <Field id="rule-headerValue" label="header.value">
                <input {...text('headerValue')} />
              </Field>
              <Field id="rule-queryName" label="query.name">
                <input {...text('queryName')} />
              </Field>
              <Field id="rule-queryValue" label="query.value">
                <input {...text('queryValue')} />
              </Field>
            </div>
          </fieldset>
          <fieldset className="rule-set">
            <legend>action</legend>
            <Field id="rule-action" label="action">
              <select id="rule-action" className="input" value={f.action} onChange={(e) => set('action', e.target.value as RuleFields['action'])}>
                <option value="respond">respond</option>
                <option value="delay">delay</option>
                <option value="fail">fail</option>
                <option value="breakpoint">breakpoint</option>
              </select>
            </Field>
            {f.action === 'respond' && (
              <>
                <Field id="rule-status" label="respond.status">
                  <input {...text('status')} inputMode="numeric" />
                </Field>
                <Field id="rule-headers" label="respond.headers" hint="One “name: value” per line.">
                  <textarea {...text('headers', 'content-type: application/json')} rows={3} />
                </Field>
                <div className="radio-row" role="radiogroup" aria-label="respond body from">
                  <label>
                    <input type="radio" name="bodyKind" checked={f.bodyKind === 'body'} onChange={() => set('bodyKind', 'body')} /> text
                  </label>
                  <label>
                    <input type="radio" name="bodyKind" checked={f.bodyKind === 'file'} onChange={() => set('bodyKind', 'file')} /> file
                  </label>
                </div>
                {f.bodyKind === 'body' ? (
                  <Field id="rule-body" label="respond.body">
                    <textarea {...text('body', '{"error":"boom"}')} rows={8} />
                  </Field>
                ) : (
                  <Field id="rule-file" label="respond.file" hint="Absolute path; read again on every request.">
                    <input {...text('file', '/home/me/mocks/cart.json')} />
                  </Field>
                )}
              </>
            )}
            {f.action === 'delay' && (
              <Field id="rule-delayMs" label="delay.ms">
                <input {...text('delayMs')} inputMode="numeric" />
              </Field>
            )}
            {f.action === 'fail' && (
              <>
                <Field id="rule-fail" label="fail">
                  <select id="rule-fail" className="input" value={f.fail} onChange={(e) => set('fail', e.target.value as RuleFields['fail'])}>
                    <option value="status">status page</option>
                    <option value="reset">reset</option>
                    <option value="timeout">timeout</option>
                  </select>
                </Field>
                {f.fail === 'status' && (
                  <Field id="rule-failStatus" label="fail.status">
                    <input {...text('failStatus')} inputMode="numeric" />
                  </Field>
                )}
              </>
            )}
            {f.action === 'breakpoint' && (
              <Field id="rule-breakpoint" label="breakpoint">
                <select
                  id="rule-breakpoint"
                  className="input"
                  value={f.breakpoint}
                  onChange={(e) => set('breakpoint', e.target.value as RuleFields['breakpoint'])}
                >
                  <option value="request">request</option>
                  <option value="response">response</option>
                  <option value="both">both</option>
                </select>
              </Field>
            )}
          </fieldset>
          {problems.length > 0 && (
            <ul className="field-error" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="modal-foot">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            Save rule
          </button>
        </div>
      </form>
    </dialog>
  );
}
