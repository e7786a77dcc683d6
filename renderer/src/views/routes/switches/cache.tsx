// The cache switch: on, off or the default; when on, whether responses carry X-Cache and
// the labelled dev mode (keep responses without caching headers for N seconds).
// The card shows the hit ratio and the bytes answered from the store, and purges them.
import { effectiveSwitches, type RouteInput } from '../../../../../proxy-core/contract/index.js';
import { formatBytes } from '../../../lib/format.js';
import { purgeCache } from '../actions.js';
import { FieldError, SwitchChip } from './parts.js';
import { ModeSelect, modeOf } from './ModeSelect.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = RouteInput['cache'];
interface Options {
  xCache: boolean;
  /** Dev mode's seconds; NaN while the field is empty (the schema says what it needs). */
  devSeconds: number | undefined;
}

const optionsOf = (value: Value): Options =>
  typeof value === 'object' ? { xCache: value.xCache ?? true, devSeconds: value.devSeconds } : { xCache: true, devSeconds: undefined };

/** `true` unless an option differs from the standard, so the config file stays short. */
const valueOf = ({ xCache, devSeconds }: Options): Value =>
  xCache && devSeconds === undefined ? true : { ...(!xCache && { xCache }), ...(devSeconds !== undefined && { devSeconds }) };

function CacheField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const own = values.cache;
  const mode = modeOf(own);
  const options = optionsOf(mode === 'default' ? defaults?.cache : own);
  const id = `${scope}-cache`;
  const change = (patch: Partial<Options>) => set({ cache: valueOf({ ...options, ...patch }) });
  const dev = options.devSeconds !== undefined;
  return (
    <fieldset className="switch-field">
      <ModeSelect
        id={id}
        label="Cache"
        scope={scope}
        mode={mode}
        inheritedOn={Boolean(defaults?.cache)}
        onChange={(next) => set({ cache: next === 'default' ? undefined : next === 'off' ? false : valueOf(options) })}
      />
      <div className={mode === 'on' ? 'switch-options' : 'switch-options off'}>
        <label className="row-flex">
          <input type="checkbox" disabled={mode !== 'on'} checked={options.xCache} onChange={(e) => change({ xCache: e.target.checked })} />
          Add an X-Cache header (HIT, MISS…) to responses
        </label>
      </div>
      <div className={mode === 'on' ? 'switch-options' : 'switch-options off'}>
        <label className="row-flex">
          <input type="checkbox" disabled={mode !== 'on'} checked={dev} onChange={(e) => change({ devSeconds: e.target.checked ? 60 : undefined })} />
          Dev mode: also keep responses that say nothing about caching for
        </label>
        <input
          id={`${id}-devSeconds`}
          className="input narrow"
          type="number"
          min={1}
          aria-label="Dev mode seconds"
          disabled={mode !== 'on' || !dev}
          value={options.devSeconds === undefined || Number.isNaN(options.devSeconds) ? '' : options.devSeconds}
          aria-invalid={errors['cache.devSeconds'] ? true : undefined}
          onChange={(e) => change({ devSeconds: e.target.value === '' ? NaN : Number(e.target.value) })}
        />
        seconds <span className="hint">(a real shared cache would not: for trying the cache on a backend that sends no caching headers)</span>
      </div>
      <FieldError errors={errors} keys={['cache', 'cache.xCache', 'cache.devSeconds']} />
    </fieldset>
  );
}

function CacheCard({ route, defaults, stats }: SwitchCardProps) {
  const value = effectiveSwitches(route, defaults).cache;
  if (!value) return null;
  const devSeconds = optionsOf(value).devSeconds;
  const c = stats?.cache;
  const looked = c ? c.hits + c.misses : 0;
  const numbers =
    c && looked > 0 ? `${Math.round((c.hits / looked) * 100)}% hits (${c.hits} of ${looked}), ${formatBytes(c.bytesServed)} from cache` : 'no lookups yet';
  const name = `${route.host}${route.pathPrefix ?? ''}`;
  return (
    <SwitchChip name="Cache" inherited={route.cache === undefined}>
      <span className="switch-numbers">{numbers}</span>
      {devSeconds !== undefined && (
        <span className="tag" title="Responses without caching headers are kept too (dev mode)">
          dev mode {devSeconds} s
        </span>
      )}
      <button type="button" className="btn small" onClick={() => purgeCache({ route: route.id }, name)} aria-label={`Purge the cache of ${name}`}>
        Purge
      </button>
    </SwitchChip>
  );
}

export const cacheSwitch: RouteSwitch = {
  key: 'cache',
  inDefaults: true,
  labels: { cache: 'Cache', 'cache.xCache': 'X-Cache', 'cache.devSeconds': 'Dev mode seconds' },
  Field: CacheField,
  Card: CacheCard,
};
