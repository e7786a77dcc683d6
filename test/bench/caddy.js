// Caddy as a peer (when the `caddy` binary is on PATH): GOMAXPROCS=1 and pinned like
// Portico, reverse-proxying to the same origin — plain HTTP on one port, TLS (HTTP/1.1 and
// HTTP/2) on another with the very leaf Portico serves for the benchmarked host (from
// Portico's CA), so both do the same TLS work.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnPinned } from './procs.js';

export const hasCaddy = () => spawnSync('caddy', ['version'], { stdio: 'ignore' }).status === 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function listening(port) {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    await sleep(50);
  }
  throw new Error(`caddy did not listen on ${port} within 10 s`);
}

/**
 * Starts Caddy on CPU `cpu`; `pem` is a file holding the leaf's key and certificate.
 * Resolves to { http, https }: two targets sharing one process (same pid).
 */
export async function startCaddy({ cpu, originPort, pem, dir, host }) {
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const proxy = [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${originPort}` }] }] }];
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'ERROR' } } },
    apps: {
      http: {
        servers: {
          plain: { listen: [`127.0.0.1:${httpPort}`], routes: proxy, automatic_https: { disable: true } },
          tls: {
            listen: [`127.0.0.1:${httpsPort}`],
            routes: proxy,
            protocols: ['h1', 'h2'],
            automatic_https: { disable: true },
            tls_connection_policies: [{ certificate_selection: { any_tag: ['bench'] } }],
          },
        },
      },
      tls: { certificates: { load_files: [{ certificate: pem, key: pem, tags: ['bench'] }] } },
    },
  };
  const file = path.join(dir, 'caddy.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawnPinned(cpu, ['caddy', 'run', '--config', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GOMAXPROCS: '1', HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`caddy exited with code ${code}: ${err}`))));
  await Promise.race([Promise.all([listening(httpPort), listening(httpsPort)]), exited]);
  exited.catch(() => {}); // from here on, an exit shows up as failed requests
  return {
    http: { name: 'caddy', port: httpPort, pid: child.pid, child, host },
    https: { name: 'caddy https', port: httpsPort, pid: child.pid, child, host },
  };
}
