// Settings: ports, route defaults, LAN sharing, cache memory, capture and listener limits,
// the names the CA may sign for,
// where things are kept, and this window's theme.
import { useStore } from '../../store/store.js';
import type { Theme } from '../../store/types.js';
import { CacheStoreSection } from './CacheStoreSection.js';
import { CaSuffixesSection } from './CaSuffixesSection.js';
import { CaptureSection } from './CaptureSection.js';
import { DefaultsSection } from './DefaultsSection.js';
import { LanSection } from './LanSection.js';
import { ListenerLimitsSection } from './ListenerLimitsSection.js';
import { ListenersSection } from './ListenersSection.js';

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsView() {
  const settings = useStore((s) => s.settings);
  const status = useStore((s) => s.status);
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  return (
    <div className="page">
      {settings && status ? <ListenersSection settings={settings} status={status} /> : <p className="muted">Loading…</p>}
      {settings && <DefaultsSection defaults={settings.defaults} />}
      {settings && <LanSection lan={settings.lan} />}
      {settings && <CacheStoreSection store={settings.cacheStore} />}
      {settings && <CaptureSection capture={settings.capture} />}
      {settings && <ListenerLimitsSection limits={settings.firewall} />}
      {settings && <CaSuffixesSection ca={settings.ca} />}
      {status && (
        <section className="section" aria-labelledby="files-title">
          <h2 id="files-title">Files</h2>
          <dl className="kv">
            <dt>Data directory</dt>
            <dd className="mono">{status.dataDir}</dd>
            <dt>Config file</dt>
            <dd className="mono">{status.configFile}</dd>
            <dt>Recorded now</dt>
            <dd>
              {status.capture.exchanges} requests, {(status.capture.bytes / 1024 / 1024).toFixed(1)} MiB
            </dd>
            <dt>Version</dt>
            <dd>Portico {status.version}</dd>
          </dl>
        </section>
      )}
      <section className="section" aria-labelledby="theme-title">
        <h2 id="theme-title">Theme</h2>
        <div className="radio-row" role="radiogroup" aria-labelledby="theme-title">
          {THEMES.map((t) => (
            <label key={t.value} className="row-flex">
              <input type="radio" name="theme" value={t.value} checked={theme === t.value} onChange={() => setTheme(t.value)} />
              {t.label}
            </label>
          ))}
        </div>
      </section>
    </div>
  );
}
