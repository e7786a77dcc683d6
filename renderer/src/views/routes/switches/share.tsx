// LAN sharing per route: serve it to other devices on the network while sharing is on in
// Settings (which shows the address, the token link and its QR code).
import { useStore } from '../../../store/store.js';
import { SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

function ShareField({ values, set, errors }: SwitchFieldProps) {
  const sharing = useStore((s) => s.settings?.lan.enabled ?? false);
  return (
    <fieldset className="switch-field">
      <label className="row-flex">
        <input type="checkbox" checked={values.share === true} onChange={(e) => set({ share: e.target.checked || undefined })} />
        <strong>Share on my network</strong>
        <span className="hint">{sharing ? 'LAN sharing is on (Settings).' : 'Takes effect once LAN sharing is on in Settings.'}</span>
      </label>
      {errors['share'] && (
        <div className="field-error" role="alert">
          {errors['share']}
        </div>
      )}
    </fieldset>
  );
}

function ShareCard({ route }: SwitchCardProps) {
  const url = useStore((s) => (route.share ? s.lan?.shares.find((x) => x.host === route.host)?.url : undefined));
  const sharing = useStore((s) => s.settings?.lan.enabled ?? false);
  if (!route.share) return null;
  return (
    <SwitchChip name="LAN" inherited={false}>
      <span className="switch-numbers mono">{!sharing ? 'sharing is off in Settings' : (url ?? 'not served yet: see Settings')}</span>
    </SwitchChip>
  );
}

export const shareSwitch: RouteSwitch = {
  key: 'share',
  inDefaults: false,
  labels: { share: 'Share' },
  Field: ShareField,
  Card: ShareCard,
};
