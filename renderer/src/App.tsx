// The frame: one tab per view (radix Tabs: arrow keys move between them), the connection
// banner and the toasts. Traffic stays mounted when hidden so its scroll and selection
// survive a look at another view.
import * as Tabs from '@radix-ui/react-tabs';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { Toasts } from './components/Toasts.js';
import { useTheme } from './components/useTheme.js';
import { useStore } from './store/store.js';
import type { View } from './store/types.js';
import { CertificatesView } from './views/certificates/CertificatesView.js';
import { RoutesView } from './views/routes/RoutesView.js';
import { SettingsView } from './views/settings/SettingsView.js';
import { TrafficView } from './views/traffic/TrafficView.js';
import { RulesView } from './views/rules/RulesView.js';
import { PausedBadge } from './views/breakpoints/PausedPanel.js';

function Listeners() {
  const http = useStore((s) => s.status?.http.port);
  const https = useStore((s) => s.status?.https?.port);
  if (http === undefined) return null;
  return (
    <span className="listeners" title="Where Portico listens">
      http :{http}
      {https !== undefined && `  https :${https}`}
    </span>
  );
}

function TrafficCount() {
  const n = useStore((s) => s.traffic.ids.length);
  return <span className="count">{n > 99_999 ? '99k+' : n}</span>;
}

export function App() {
  useTheme();
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  // Until the engine answers, every button would fail: the page is inert, not "Loading…" with live controls.
  const connected = useStore((s) => s.connection === 'open' && s.fatal === undefined);
  return (
    <Tabs.Root className="app" value={view} onValueChange={(v) => setView(v as View)} activationMode="manual">
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Portico
        </span>
        <Tabs.List className="nav" aria-label="Views" inert={!connected}>
          <Tabs.Trigger className="nav-tab" value="routes">
            Routes
          </Tabs.Trigger>
          <Tabs.Trigger className="nav-tab" value="traffic">
            Traffic <TrafficCount />
            <PausedBadge />
          </Tabs.Trigger>
          <Tabs.Trigger className="nav-tab" value="rules">
            Rules
          </Tabs.Trigger>
          <Tabs.Trigger className="nav-tab" value="certificates">
            Certificates
          </Tabs.Trigger>
          <Tabs.Trigger className="nav-tab" value="settings">
            Settings
          </Tabs.Trigger>
        </Tabs.List>
        <span className="spacer" />
        <Listeners />
      </header>
      <ConnectionBanner />
      <Tabs.Content className="view" value="routes" inert={!connected} aria-busy={!connected}>
        <RoutesView />
      </Tabs.Content>
      <Tabs.Content className="view" value="traffic" forceMount hidden={view !== 'traffic'} inert={!connected} aria-busy={!connected}>
        <TrafficView />
      </Tabs.Content>
      <Tabs.Content className="view" value="rules" inert={!connected} aria-busy={!connected}>
        <RulesView />
      </Tabs.Content>
      <Tabs.Content className="view" value="certificates" inert={!connected} aria-busy={!connected}>
        <CertificatesView />
      </Tabs.Content>
      <Tabs.Content className="view" value="settings" inert={!connected} aria-busy={!connected}>
        <SettingsView />
      </Tabs.Content>
      <Toasts />
    </Tabs.Root>
  );
}
