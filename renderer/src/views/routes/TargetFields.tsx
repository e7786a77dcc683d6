// One "Target" field, plus "Target 2", "Target 3"… for a route that shares the load.
import type { FieldErrors } from './form-model.js';

export function TargetFields({ targets, errors, onChange }: { targets: string[]; errors: FieldErrors; onChange: (targets: string[]) => void }) {
  const setAt = (i: number, value: string) => onChange(targets.map((t, j) => (j === i ? value : t)));
  return (
    <div className="field">
      {targets.map((target, i) => {
        const id = `route-target${i}`;
        const error = errors[`target${i}`];
        return (
          <div key={i} className="field">
            <label htmlFor={id}>{i === 0 ? 'Target' : `Target ${i + 1}`}</label>
            <div className="row-flex">
              <input
                id={id}
                className="input spacer"
                value={target}
                placeholder="http://localhost:3000"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(e) => setAt(i, e.target.value)}
              />
              {i > 0 && (
                <button type="button" className="btn small" aria-label={`Remove target ${i + 1}`} onClick={() => onChange(targets.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </div>
            {error && (
              <span id={`${id}-error`} className="field-error">
                {error}
              </span>
            )}
          </div>
        );
      })}
      <div>
        <button type="button" className="btn small" onClick={() => onChange([...targets, ''])}>
          + Another target
        </button>
        <span className="hint"> Several targets share the load (see Load balancing below).</span>
      </div>
    </div>
  );
}
