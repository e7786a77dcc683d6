// Throttling: the default, off, Chrome DevTools' "Slow 3G" / "Fast 3G", or custom latency
// and rates. The card names the profile ("Slow 3G") or the custom numbers.
import {
  describeThrottle,
  effectiveSwitches,
  THROTTLE_PROFILE_NAMES,
  THROTTLE_PROFILES,
  type RouteInput,
  type ThrottleProfileName,
} from '../../../../../proxy-core/contract/index.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = RouteInput['throttle'];
type Custom = Extract<NonNullable<Value>, object>;
type Choice = 'default' | 'off' | ThrottleProfileName | 'custom';

const PROFILES = Object.keys(THROTTLE_PROFILES) as ThrottleProfileName[];

const choiceOf = (value: Value): Choice => (value === undefined ? 'default' : value === false ? 'off' : typeof value === 'string' ? value : 'custom');

/** "Slow 3G", "Custom: 100 ms, 1000↓/500↑ kbit/s" (the contract's words), or undefined when off. */
const describe = (value: Value): string | undefined => describeThrottle(value)?.card;

/** Empty leaves the number out (no limit, or 0 ms of latency); NaN cannot come from a number input. */
const numberOrUnset = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

function ThrottleField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const own = values.throttle;
  const choice = choiceOf(own);
  const id = `${scope}-throttle`;
  const custom: Custom = typeof own === 'object' ? own : {};
  const choose = (next: Choice) => {
    if (next === 'custom') return set({ throttle: { latencyMs: 100, downKbps: 1000, upKbps: 500 } });
    set({ throttle: next === 'default' ? undefined : next === 'off' ? false : next });
  };
  const number = (key: keyof Custom, label: string, placeholder: string) => (
    <>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        className="input narrow"
        type="number"
        min={0}
        placeholder={placeholder}
        value={custom[key] ?? ''}
        aria-invalid={errors[`throttle.${key}`] ? true : undefined}
        onChange={(e) => set({ throttle: { ...custom, [key]: numberOrUnset(e.target.value) } })}
      />
    </>
  );
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor={id}>Throttle</label>
        <select
          id={id}
          className="input"
          value={scope === 'defaults' && choice === 'default' ? 'off' : choice}
          onChange={(e) => choose(e.target.value as Choice)}
        >
          {scope === 'route' && <option value="default">Default ({describe(defaults?.throttle) ?? 'off'})</option>}
          <option value="off">Off</option>
          {PROFILES.map((profile) => (
            <option key={profile} value={profile}>
              {`${THROTTLE_PROFILE_NAMES[profile]} (${describeThrottle(profile)!.numbers})`}
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
      </div>
      {choice === 'custom' && (
        <div className="switch-options">
          {number('latencyMs', 'Latency (ms)', '0')}
          {number('downKbps', 'Down (kbit/s)', 'no limit')}
          {number('upKbps', 'Up (kbit/s)', 'no limit')}
        </div>
      )}
      <FieldError errors={errors} keys={['throttle', 'throttle.latencyMs', 'throttle.downKbps', 'throttle.upKbps']} />
    </fieldset>
  );
}

function ThrottleCard({ route, defaults }: SwitchCardProps) {
  const label = describe(effectiveSwitches(route, defaults).throttle);
  if (!label) return null;
  return <SwitchChip name={label} inherited={route.throttle === undefined} />;
}

export const throttleSwitch: RouteSwitch = {
  key: 'throttle',
  inDefaults: true,
  labels: { throttle: 'Throttle', 'throttle.latencyMs': 'Latency', 'throttle.downKbps': 'Down rate', 'throttle.upKbps': 'Up rate' },
  Field: ThrottleField,
  Card: ThrottleCard,
};
