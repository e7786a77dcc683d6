// What every Settings section shares: saving through a command (a toast when done, the
// command's own words in the section when not), the list of problems with the Save
// button under it, and the labelled number field with its hint.
import { useState, type Dispatch, type SetStateAction } from 'react';
import { CommandFailed } from '../../api/client.js';
import { useStore } from '../../store/store.js';

/**
 * A section's editable copy of its saved settings. Every save anywhere sends the whole
 * settings again; the draft is reset only when this section's saved value really
 * changed, so saving one section never reverts what is typed in another.
 */
export function useSavedDraft<S, D>(saved: S, toDraft: (saved: S) => D): [D, Dispatch<SetStateAction<D>>] {
  const [draft, setDraft] = useState(() => toDraft(saved));
  const key = JSON.stringify(saved);
  const [seen, setSeen] = useState(key);
  if (seen !== key) {
    // React's pattern for state that follows a prop: adjusted during render, no effect.
    setSeen(key);
    setDraft(toDraft(saved));
  }
  return [draft, setDraft];
}

export function useSectionSave() {
  const [problems, setProblems] = useState<string[]>([]);
  const toast = useStore((s) => s.toast);
  /** Runs `send`; on success clears the problems and says `saved`, otherwise shows why. */
  const run = async (send: () => Promise<unknown>, saved: string): Promise<void> => {
    try {
      await send();
      setProblems([]);
      toast({ text: saved });
    } catch (error) {
      setProblems(error instanceof CommandFailed && error.issues.length ? error.issues : [(error as Error).message]);
    }
  };
  return { problems, setProblems, run };
}

export function SectionFooter({ problems, saveLabel }: { problems: string[]; saveLabel: string }) {
  return (
    <>
      {problems.length > 0 && (
        <ul className="field-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div>
        <button type="submit" className="btn primary">
          {saveLabel}
        </button>
      </div>
    </>
  );
}

export function NumberField(props: { id: string; label: string; hint: string; value: string; onChange: (value: string) => void; step?: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} className="input" type="number" min={0} step={props.step} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      <span className="hint">{props.hint}</span>
    </div>
  );
}
