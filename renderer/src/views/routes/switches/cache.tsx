// The cache switch: on, off or the default; when on, whether responses carry X-Cache.
// The card shows the hit ratio and the bytes answered from the store, and purges them.
import type { RouteInput } from '../../../../../proxy-core/contract/index.js';
import { formatBytes } from '../../../lib/format.js';
import { purgeCache } from '../actions.js';
import { FieldError, SwitchChip } from './parts.js';
import { effective, ModeSelect, modeOf } from './ModeSelect.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = RouteInput['cache'];

const xCacheOf = (value: Value) => (typeof value === 'object' ? (value.xCache ?? true) : true);

function CacheField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const own = values.cache;
  const mode = modeOf(own);
  const xCache = xCacheOf(mode === 'default' ? defaults?.cache : own);
  const id = `${scope}-cache`;
  // `true` unless X-Cache is off, so the config file stays short.
  const on = (withHeader: boolean): Value => (withHeader ? true : { xCache: false });
  return (
    <fieldset className="switch-field">
      <ModeSelect
        id={id}
        label="Cache"
        scope={scope}
        mode={mode}
        inheritedOn={Boolean(defaults?.cache)}
        onChange={(next) => set({ cache: next === 'default' ? undefined : next === 'off' ? false : on(xCache) })}
      />
      <div className={mode === 'on' ? 'switch-options' : 'switch-options off'}>
        <label className="row-flex">
          <input type="checkbox" disabled={mode !== 'on'} checked={xCache} onChange={(e) => set({ cache: on(e.target.checked) })} />
          Add an X-Cache header (HIT, MISS…) to responses
        </label>
      </div>
      <FieldError errors={errors} keys={['cache', 'cache.xCache']} />
    </fieldset>
  );
}

function CacheCard({ route, defaults, stats }: SwitchCardProps) {
  if (!effective(route.cache, defaults?.cache)) return null;
  const c = stats?.cache;
  const looked = c ? c.hits + c.misses : 0;
  const numbers = c && looked > 0 ? `${Math.round((c.hits / looked) * 100)}% hits (${c.hits} of ${looked}), ${formatBytes(c.bytesServed)} from cache` : 'no lookups yet';
  const name = `${route.host}${route.pathPrefix ?? ''}`;
  return (
    <SwitchChip name="Cache" inherited={route.cache === undefined}>
      <span className="switch-numbers">{numbers}</span>
      <button type="button" className="btn small" onClick={() => purgeCache({ route: route.id }, name)} aria-label={`Purge the cache of ${name}`}>
        Purge
      </button>
    </SwitchChip>
  );
}

export const cacheSwitch: RouteSwitch = {
  key: 'cache',
  inDefaults: true,
  labels: { cache: 'Cache', 'cache.xCache': 'X-Cache' },
  Field: CacheField,
  Card: CacheCard,
};
