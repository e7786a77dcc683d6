// Polls routes.stats and health.list (requests in flight, since when a target is down)
// while the Routes view is open and the window is visible: the numbers move with traffic,
// and a push event for every request would cost the engine for a view nobody may be
// looking at.
import { useEffect } from 'react';
import { client } from '../../api/client.js';
import { useStore } from '../../store/store.js';

const INTERVAL_MS = 1_000;

export function useRouteStats(): void {
  useEffect(() => {
    const poll = () => {
      if (document.visibilityState === 'hidden' || useStore.getState().connection !== 'open') return;
      // A failed poll is not worth a toast: the connection banner says what is wrong.
      client.call('routes.stats').then(useStore.getState().setRouteStats, () => {});
      client.call('health.list').then(useStore.getState().setTargets, () => {});
    };
    poll();
    const timer = setInterval(poll, INTERVAL_MS);
    return () => clearInterval(timer);
  }, []);
}
