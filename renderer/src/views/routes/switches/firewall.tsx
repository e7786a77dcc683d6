// The firewall: allowed client ranges, a rate limit per client, a body size limit and
// denied paths. Lists are typed one entry a line (keyboard all the way; "re:" starts a
// regex). A route's fields replace the defaults' one by one. The card sums it up:
// "10 req/s · 2 ranges · 2 paths denied".
import { useState } from 'react';
import { effectiveSwitches, type RouteInput } from '../../../../../proxy-core/contract/index.js';
import { formatBytes } from '../../../lib/format.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = NonNullable<RouteInput['firewall']>;
type Deny = NonNullable<Value['deny']>[number];
type RateLimit = Exclude<NonNullable<Value['rateLimit']>, false>;

const REGEX = 're:';
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
const denyOf = (line: string): Deny => (line.startsWith(REGEX) ? { regex: line.slice(REGEX.length).trim() } : line);
const denyText = (deny: readonly Deny[] | undefined) => (deny ?? []).map((d) => (typeof d === 'string' ? d : `${REGEX}${d.regex}`)).join('\n');
const numberOrUnset = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** Only the fields that say something, so the config file stays short. */
function tidy(value: Value): Value {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as Value;
}

function FirewallField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const own = values.firewall;
  const id = `${scope}-firewall`;
  // The lists as typed (a trailing newline, a half-typed range) until they are parsed.
  const [allow, setAllow] = useState(() => (own?.allow ?? []).join('\n'));
  const [deny, setDeny] = useState(() => denyText(own?.deny));
  const change = (patch: Partial<Value>) => set({ firewall: tidy({ ...own, ...patch }) });
  const rate = own?.rateLimit || undefined;
  const setRate = (patch: Partial<RateLimit>) => {
    const next = { ...rate, ...patch };
    // requestsPerSecond is the limit itself: a burst alone gets the schema's word for it.
    change({ rateLimit: next.requestsPerSecond === undefined && next.burst === undefined ? undefined : (tidy(next as Value) as RateLimit) });
  };
  const inherited = describe(defaults?.firewall);
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor={id}>Firewall</label>
        <select
          id={id}
          className="input"
          value={own === undefined ? 'default' : 'own'}
          onChange={(e) => set({ firewall: e.target.value === 'own' ? {} : undefined })}
        >
          <option value="default">{scope === 'route' ? `Default (${inherited ?? 'off'})` : 'Off'}</option>
          <option value="own">{scope === 'route' ? 'Own limits (each replaces the default’s)' : 'On'}</option>
        </select>
      </div>
      {own !== undefined && (
        <div className="firewall-grid">
          <label htmlFor={`${id}-allow`}>Allowed clients</label>
          <textarea
            id={`${id}-allow`}
            className="input mono"
            rows={2}
            placeholder={'127.0.0.1\n192.168.0.0/16'}
            spellCheck={false}
            value={allow}
            aria-invalid={Object.keys(errors).some((k) => k.startsWith('firewall.allow')) ? true : undefined}
            onChange={(e) => {
              setAllow(e.target.value);
              change({ allow: lines(e.target.value) });
            }}
          />
          <label htmlFor={`${id}-rps`}>Rate limit (requests/s per client)</label>
          <span className="row-flex">
            <input
              id={`${id}-rps`}
              className="input narrow"
              type="number"
              min={0}
              step="any"
              value={rate?.requestsPerSecond ?? ''}
              onChange={(e) => setRate({ requestsPerSecond: numberOrUnset(e.target.value) })}
            />
            <label htmlFor={`${id}-burst`}>burst</label>
            <input
              id={`${id}-burst`}
              className="input narrow"
              type="number"
              min={1}
              value={rate?.burst ?? ''}
              onChange={(e) => setRate({ burst: numberOrUnset(e.target.value) })}
            />
          </span>
          <label htmlFor={`${id}-body`}>Largest request body (bytes)</label>
          <input
            id={`${id}-body`}
            className="input narrow"
            type="number"
            min={0}
            value={own.maxBodyBytes ?? ''}
            onChange={(e) => change({ maxBodyBytes: numberOrUnset(e.target.value) })}
          />
          <label htmlFor={`${id}-deny`}>Denied paths</label>
          <textarea
            id={`${id}-deny`}
            className="input mono"
            rows={2}
            placeholder={'/admin\nre:\\.(env|git)(/|$)'}
            spellCheck={false}
            value={deny}
            onChange={(e) => {
              setDeny(e.target.value);
              change({ deny: lines(e.target.value).map(denyOf) });
            }}
          />
          <span />
          <span className="hint">One per line; a path prefix, or &quot;re:&quot; and a regular expression.</span>
        </div>
      )}
      <FieldError errors={errors} keys={Object.keys(errors).filter((k) => k === 'firewall' || k.startsWith('firewall.'))} />
    </fieldset>
  );
}

/** "10 req/s · 2 ranges · body ≤ 1 MiB · 2 paths denied", or undefined when it limits nothing. */
function describe(f: Value | undefined): string | undefined {
  if (!f) return undefined;
  const parts = [
    ...(f.rateLimit ? [`${f.rateLimit.requestsPerSecond} req/s`] : []),
    ...(f.allow?.length ? [`${f.allow.length} ${f.allow.length === 1 ? 'range' : 'ranges'} allowed`] : []),
    ...(f.maxBodyBytes !== undefined ? [`body ≤ ${formatBytes(f.maxBodyBytes)}`] : []),
    ...(f.deny?.length ? [`${f.deny.length} ${f.deny.length === 1 ? 'path' : 'paths'} denied`] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function FirewallCard({ route, defaults }: SwitchCardProps) {
  // Field by field, as the engine merges them (the contract's effectiveSwitches).
  const text = describe(effectiveSwitches(route, defaults).firewall);
  if (!text) return null;
  return (
    <SwitchChip name="Firewall" inherited={route.firewall === undefined}>
      <span className="switch-numbers">{text}</span>
    </SwitchChip>
  );
}

export const firewallSwitch: RouteSwitch = {
  key: 'firewall',
  inDefaults: true,
  labels: {
    firewall: 'Firewall',
    'firewall.allow': 'Allowed client',
    'firewall.rateLimit.requestsPerSecond': 'Rate limit',
    'firewall.rateLimit.burst': 'Burst',
    'firewall.maxBodyBytes': 'Largest body',
    'firewall.deny': 'Denied path',
    'firewall.deny.regex': 'Denied path regex',
  },
  Field: FirewallField,
  Card: FirewallCard,
};
