// lan.* commands: where the shared routes are reachable from other devices (the URL, the
// link with the token, its QR code as SVG — made here, so the CLI and every UI show the
// same thing), and the switch itself, saved in settings.lan.
import { renderSVG } from 'uqr';
import type { LanShare, LanStatus } from '../contract/index.js';
import { TOKEN_PARAM } from '../engine/lan/lan-access.js';
import { hostForUrl, type LanListenerStatus } from '../engine/lan/lan-listeners.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';

type LanHandlers = Pick<Handlers, 'lan.status' | 'lan.set'>;

/** The listeners' state in the contract's words, with a link and QR code per shared host. */
export function describeLan(listeners: LanListenerStatus, token: string): LanStatus {
  const shares = listeners.listeners.map((listener): LanShare => {
    const url = `http://${hostForUrl(listeners.address ?? '')}${listener.port === 80 ? '' : `:${listener.port}`}${listener.path}`;
    const link = `${url}?${TOKEN_PARAM}=${token}`;
    return { host: listener.host, port: listener.port, url, link, qrSvg: renderSVG(link), routes: listener.routes };
  });
  return {
    enabled: listeners.enabled,
    ...(listeners.address !== undefined && { address: listeners.address }),
    ...(listeners.error !== undefined && { error: listeners.error }),
    shares,
  };
}

export function lanCommands(service: ServiceContext): LanHandlers {
  const status = async () => describeLan(await service.engine.lanStatus(), service.lanToken);
  return {
    'lan.status': status,
    'lan.set': async (change) => {
      await service.commit((current) => ({ ...current, lan: { ...current.lan, ...change } }));
      return status();
    },
  };
}
