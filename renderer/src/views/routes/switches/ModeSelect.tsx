// A switch's on/off choice. In a route it may also follow the default (and says which way
// that goes), so changing Settings later changes every route that did not choose.
import type { SwitchScope } from './types.js';

export type Mode = 'default' | 'on' | 'off';

export function modeOf(own: unknown): Mode {
  return own === undefined ? 'default' : own === false ? 'off' : 'on';
}

export function ModeSelect({
  id,
  label,
  scope,
  mode,
  inheritedOn,
  onChange,
}: {
  id: string;
  label: string;
  scope: SwitchScope;
  mode: Mode;
  inheritedOn: boolean;
  onChange: (mode: Mode) => void;
}) {
  return (
    <div className="switch-mode">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={scope === 'defaults' && mode === 'default' ? 'off' : mode} onChange={(e) => onChange(e.target.value as Mode)}>
        {scope === 'route' && <option value="default">Default ({inheritedOn ? 'on' : 'off'})</option>}
        <option value="on">On</option>
        <option value="off">Off</option>
      </select>
    </div>
  );
}
