// Load balancing: how several targets share the requests (a policy, or the default), and
// the optional active health check. Settings' defaults have the policy only. The card says
// the policy and how many targets are up: "least-connections · 2/3 up".
import { BALANCE_POLICIES, routeTargets, type BalancePolicy, type RouteInput } from '../../../../../proxy-core/contract/index.js';
import { healthKey } from '../../../store/health-key.js';
import { useStore } from '../../../store/store.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Check = NonNullable<RouteInput['healthCheck']>;

const FALLBACK: BalancePolicy = 'round-robin';

/** A number field's value: empty leaves the schema's default in force. */
const numberOrUnset = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** "2xx" stays a class; "200" becomes the code the schema wants. */
const statusOf = (text: string): Check['expectStatus'] => (text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text) : text.trim());

function CheckFields({ check, set, errors }: { check: Check; set: (check: Check) => void; errors: Record<string, string> }) {
  const input = (key: 'intervalMs' | 'timeoutMs', label: string, placeholder: string) => (
    <>
      <label htmlFor={`route-check-${key}`}>{label}</label>
      <input
        id={`route-check-${key}`}
        className="input narrow"
        type="number"
        min={0}
        placeholder={placeholder}
        value={check[key] === undefined || Number.isNaN(check[key]) ? '' : check[key]}
        aria-invalid={errors[`healthCheck.${key}`] ? true : undefined}
        onChange={(e) => set({ ...check, [key]: numberOrUnset(e.target.value) })}
      />
    </>
  );
  return (
    <div className="switch-options">
      <label htmlFor="route-check-path">Path</label>
      <input
        id="route-check-path"
        className="input narrow mono"
        value={check.path}
        placeholder="/health"
        spellCheck={false}
        aria-invalid={errors['healthCheck.path'] ? true : undefined}
        onChange={(e) => set({ ...check, path: e.target.value })}
      />
      {input('intervalMs', 'Every (ms)', '5000')}
      {input('timeoutMs', 'Timeout (ms)', '2000')}
      <label htmlFor="route-check-expect">Healthy status</label>
      <input
        id="route-check-expect"
        className="input narrow"
        value={check.expectStatus ?? ''}
        placeholder="2xx"
        aria-invalid={errors['healthCheck.expectStatus'] ? true : undefined}
        onChange={(e) => set({ ...check, expectStatus: statusOf(e.target.value) })}
      />
    </div>
  );
}

function BalanceField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const id = `${scope}-balance`;
  const check = values.healthCheck;
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor={id}>Load balancing</label>
        <select
          id={id}
          className="input"
          value={values.balance ?? ''}
          onChange={(e) => set({ balance: (e.target.value || undefined) as BalancePolicy | undefined })}
        >
          <option value="">{scope === 'route' ? `Default (${defaults?.balance ?? FALLBACK})` : `${FALLBACK} (built in)`}</option>
          {BALANCE_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {policy}
            </option>
          ))}
        </select>
        <span className="hint">For routes with several targets.</span>
      </div>
      {scope === 'route' && (
        <>
          <label className="row-flex small">
            <input type="checkbox" checked={check !== undefined} onChange={(e) => set({ healthCheck: e.target.checked ? { path: '/health' } : undefined })} />
            Check each target at an interval (a target that fails stays out until it passes)
          </label>
          {check && <CheckFields check={check} set={(next) => set({ healthCheck: next })} errors={errors} />}
        </>
      )}
      <FieldError errors={errors} keys={['balance', 'healthCheck.path', 'healthCheck.intervalMs', 'healthCheck.timeoutMs', 'healthCheck.expectStatus']} />
    </fieldset>
  );
}

function origin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

function BalanceCard({ route, defaults }: SwitchCardProps) {
  const targets = routeTargets(route);
  // A primitive: the count changes, not the health map.
  const up = useStore((s) => targets.filter((t) => s.health[healthKey(route.host, origin(t))]?.up !== false).length);
  if (targets.length < 2 && !route.healthCheck) return null;
  const policy = route.balance ?? defaults?.balance ?? FALLBACK;
  return (
    <SwitchChip name={targets.length > 1 ? policy : 'Health check'} inherited={targets.length > 1 && route.balance === undefined}>
      <span className="switch-numbers">
        {up}/{targets.length} up{route.healthCheck && targets.length > 1 ? ` · checks ${route.healthCheck.path}` : ''}
      </span>
    </SwitchChip>
  );
}

export const balanceSwitch: RouteSwitch = {
  key: 'balance',
  moreKeys: ['healthCheck'],
  inDefaults: true,
  labels: {
    balance: 'Load balancing',
    'healthCheck.path': 'Check path',
    'healthCheck.intervalMs': 'Check interval',
    'healthCheck.timeoutMs': 'Check timeout',
    'healthCheck.expectStatus': 'Healthy status',
  },
  Field: BalanceField,
  Card: BalanceCard,
};
