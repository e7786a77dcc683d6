// The switches section of the route form and of Settings' defaults: each switch's field.
import { ROUTE_SWITCHES } from './index.js';
import type { SwitchFieldProps } from './types.js';

export function SwitchFields(props: SwitchFieldProps) {
  return (
    <div className="switch-fields">
      {ROUTE_SWITCHES.filter((s) => props.scope === 'route' || s.inDefaults).map(({ key, Field }) => (
        <Field key={key} {...props} />
      ))}
    </div>
  );
}
