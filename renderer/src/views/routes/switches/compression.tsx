// The compression switch: on, off or the default; when on, the size below which responses
// go out as they are and the encoders to offer. The card shows the bytes it saved.
import { CompressionOptionsSchema, effectiveSwitches, ENCODINGS, type CompressionOptions, type RouteInput } from '../../../../../proxy-core/contract/index.js';
import { formatBytes } from '../../../lib/format.js';
import { FieldError, SwitchChip } from './parts.js';
import { ModeSelect, modeOf } from './ModeSelect.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

const STANDARD: CompressionOptions = CompressionOptionsSchema.parse({});

type Value = RouteInput['compression'];

function optionsOf(value: Value): CompressionOptions {
  return typeof value === 'object' ? { threshold: value.threshold ?? STANDARD.threshold, encodings: value.encodings ?? STANDARD.encodings } : STANDARD;
}

/** `true` when the options are the standard ones, so the config file stays short. */
function valueOf(options: CompressionOptions): Value {
  const standard = options.threshold === STANDARD.threshold && options.encodings.join() === STANDARD.encodings.join();
  return standard ? true : options;
}

function CompressionField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const own = values.compression;
  const mode = modeOf(own);
  const options = optionsOf(mode === 'default' ? defaults?.compression : own);
  const id = `${scope}-compression`;
  const change = (patch: Partial<CompressionOptions>) => set({ compression: valueOf({ ...options, ...patch }) });
  const toggle = (encoding: (typeof ENCODINGS)[number], on: boolean) =>
    change({ encodings: ENCODINGS.filter((e) => (e === encoding ? on : options.encodings.includes(e))) });
  return (
    <fieldset className="switch-field">
      <ModeSelect
        id={id}
        label="Compression"
        scope={scope}
        mode={mode}
        inheritedOn={Boolean(defaults?.compression)}
        onChange={(next) => set({ compression: next === 'default' ? undefined : next === 'off' ? false : valueOf(options) })}
      />
      <div className={mode === 'on' ? 'switch-options' : 'switch-options off'}>
        <label htmlFor={`${id}-threshold`}>Minimum size (bytes)</label>
        <input
          id={`${id}-threshold`}
          className="input narrow"
          type="number"
          min={0}
          disabled={mode !== 'on'}
          value={Number.isNaN(options.threshold) ? '' : options.threshold}
          aria-invalid={errors['compression.threshold'] ? true : undefined}
          onChange={(e) => change({ threshold: e.target.value === '' ? NaN : Number(e.target.value) })}
        />
        <span role="group" aria-label="Encodings" className="row-flex">
          {ENCODINGS.map((encoding) => (
            <label key={encoding} className="row-flex">
              <input
                type="checkbox"
                disabled={mode !== 'on'}
                checked={options.encodings.includes(encoding)}
                onChange={(e) => toggle(encoding, e.target.checked)}
              />
              {encoding}
            </label>
          ))}
        </span>
      </div>
      <FieldError errors={errors} keys={['compression', 'compression.threshold', 'compression.encodings']} />
    </fieldset>
  );
}

function CompressionCard({ route, defaults, stats }: SwitchCardProps) {
  if (!effectiveSwitches(route, defaults).compression) return null;
  const c = stats?.compression;
  // Rounded down: a body that shrank by 99.6% did not vanish.
  const saved =
    c && c.bytesIn > 0
      ? `${formatBytes(c.bytesIn - c.bytesOut)} saved (−${Math.floor(((c.bytesIn - c.bytesOut) / c.bytesIn) * 100)}%)`
      : 'nothing compressed yet';
  return (
    <SwitchChip name="Compression" inherited={route.compression === undefined}>
      <span className="switch-numbers">{saved}</span>
    </SwitchChip>
  );
}

export const compressionSwitch: RouteSwitch = {
  key: 'compression',
  inDefaults: true,
  labels: { compression: 'Compression', 'compression.threshold': 'Minimum size', 'compression.encodings': 'Encodings' },
  Field: CompressionField,
  Card: CompressionCard,
};
