// Redirect routes: answer every request with a redirect instead of proxying. While it is
// on, the form hides the targets (a route either redirects or proxies) and the card says
// where it sends people: "302 → https://new.localhost".
import { REDIRECT_STATUSES, type RouteInput } from '../../../../../proxy-core/contract/index.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = NonNullable<RouteInput['redirect']>;

const STATUS_NAMES: Record<(typeof REDIRECT_STATUSES)[number], string> = {
  301: '301 Moved Permanently',
  302: '302 Found (temporary)',
  307: '307 Temporary Redirect (keeps the method)',
  308: '308 Permanent Redirect (keeps the method)',
};

function RedirectField({ values, set, errors }: SwitchFieldProps) {
  const own = values.redirect;
  const change = (patch: Partial<Value>) => set({ redirect: { to: '', ...own, ...patch } });
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor="route-redirect">Redirect</label>
        <select
          id="route-redirect"
          className="input"
          value={own === undefined ? 'off' : 'on'}
          onChange={(e) => set({ redirect: e.target.value === 'on' ? { to: '' } : undefined })}
        >
          <option value="off">Off: proxy to the targets</option>
          <option value="on">On: answer with a redirect instead</option>
        </select>
      </div>
      {own !== undefined && (
        <div className="switch-options">
          <label htmlFor="route-redirect-to">To</label>
          <input
            id="route-redirect-to"
            className="input mono spacer"
            placeholder="https://new.localhost or /v2"
            spellCheck={false}
            value={own.to}
            aria-invalid={errors['redirect.to'] ? true : undefined}
            onChange={(e) => change({ to: e.target.value })}
          />
          <label htmlFor="route-redirect-status">Status</label>
          <select
            id="route-redirect-status"
            className="input"
            value={own.status ?? 302}
            onChange={(e) => change({ status: Number(e.target.value) as Value['status'] })}
          >
            {REDIRECT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_NAMES[status]}
              </option>
            ))}
          </select>
          <label className="row-flex">
            <input type="checkbox" checked={own.keepPath ?? false} onChange={(e) => change({ keepPath: e.target.checked })} />
            Keep the rest of the path and the query
          </label>
        </div>
      )}
      <FieldError errors={errors} keys={['redirect', 'redirect.to', 'redirect.status']} />
    </fieldset>
  );
}

function RedirectCard({ route }: SwitchCardProps) {
  const r = route.redirect;
  if (!r) return null;
  return (
    <SwitchChip name="Redirect" inherited={false}>
      <span className="switch-numbers mono">
        {r.status} → {r.to}
        {r.keepPath ? '…' : ''}
      </span>
    </SwitchChip>
  );
}

export const redirectSwitch: RouteSwitch = {
  key: 'redirect',
  inDefaults: false,
  labels: { redirect: 'Redirect', 'redirect.to': 'Redirect target', 'redirect.status': 'Redirect status' },
  Field: RedirectField,
  Card: RedirectCard,
};
