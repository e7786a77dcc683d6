// The real `tryBind`: listen, then close straight away. Another program may take the
// port between this probe and the real listen; the engine's listen error covers that.
import net from 'node:net';
import type { BindOutcome } from './choose.js';

export function tryBind(port: number, host: string): Promise<BindOutcome> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'ERROR'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('ok')));
  });
}
