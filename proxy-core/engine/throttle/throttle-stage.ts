// The throttle switch as a stage: its latency and held request body before the request
// goes on, a token bucket on the response body (after compression: what goes on the wire
// is what a slow network would carry), and both directions of a WebSocket.
import type { StageFactory, Stage } from '../stage.js';
import { afterLatency, holdRequestBody, throttlePlan, throttleWebSocket } from './throttle.js';
import { ThrottleStream } from './throttle-stream.js';

export const throttleStage: StageFactory = (_route, switches) => {
  const plan = throttlePlan(switches.throttle);
  if (!plan) return undefined;
  const stage: { -readonly [K in keyof Stage]: Stage[K] } = {
    name: 'throttle',
    describe: () => plan.label,
    beforeForward(ex, next) {
      ex.tap?.mark('throttle', plan.label);
      if (ex.kind === 'http') ex.body = holdRequestBody(ex.req, plan);
      afterLatency(plan, ex.client, () => {
        // The latency is its own phase in the capture's timings.
        if (plan.latencyMs > 0 && !ex.clientGone) ex.tap?.throttled?.();
        next();
      });
    },
  };
  const down = plan.downBytes;
  if (down !== undefined) stage.responseBody = () => new ThrottleStream(down);
  if (down !== undefined || plan.upBytes !== undefined) stage.upgrade = (_ex, proxySocket, socket) => throttleWebSocket(proxySocket, socket, plan);
  return stage;
};
