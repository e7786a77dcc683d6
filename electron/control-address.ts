// The desktop app runs the engine for its data dir, so `portico run` in a terminal must find
// it: the app serves the control service on loopback too (behind the control token, with the
// same Host/Origin checks as `portico serve`) and records the address in control.json.
import path from 'node:path';
import type { ControlService } from '../proxy-core/service/index.js';
import { loadOrCreateToken, removeControlAddress, startControlServer, writeControlAddress } from '../proxy-core/control-server/index.js';

export interface PublishedControl {
  close(): Promise<void>;
}

export async function publishControl(
  service: ControlService,
  options: { dataDir: string; version: string; appPath: string; log: (line: string) => void },
): Promise<PublishedControl> {
  const token = await loadOrCreateToken(options.dataDir);
  const server = await startControlServer({ api: service, token, port: 0, rendererDir: path.join(options.appPath, 'renderer', 'dist'), log: options.log });
  writeControlAddress(options.dataDir, { port: server.port, pid: process.pid, kind: 'app', version: options.version });
  return {
    close: async () => {
      removeControlAddress(options.dataDir);
      await server.close();
    },
  };
}
