// Small pieces every switch uses: its chip on the route card and its validation messages.
import type { ReactNode } from 'react';

/** "Cache · 67% hits" on the card; "(default)" when the route follows Settings. */
export function SwitchChip({ name, inherited, children }: { name: string; inherited: boolean; children?: ReactNode }) {
  return (
    <span className="switch-chip" title={inherited ? `${name} is on for this route through the defaults in Settings` : undefined}>
      <span className="switch-chip-name">
        {name}
        {inherited && <span className="muted"> (default)</span>}
      </span>
      {children}
    </span>
  );
}

/** The messages for these field paths, in that order (one line each). */
export function FieldError({ errors, keys }: { errors: Record<string, string>; keys: string[] }) {
  const messages = keys.map((key) => errors[key]).filter((m): m is string => m !== undefined);
  if (messages.length === 0) return null;
  return (
    <div className="field-error" role="alert">
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}
