// Says when the UI cannot reach the engine, so stale data is never mistaken for live data.
import { useStore } from '../store/store.js';

export function ConnectionBanner() {
  const connection = useStore((s) => s.connection);
  const fatal = useStore((s) => s.fatal);
  if (fatal) {
    return (
      <div className="banner fatal" role="alert">
        {fatal}
      </div>
    );
  }
  if (connection !== 'retrying') return null;
  return (
    <div className="banner" role="status">
      Disconnected from Portico — retrying… (is <code>portico serve</code> still running?)
    </div>
  );
}
