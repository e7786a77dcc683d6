// `portico run` against the desktop app's engine: the app publishes its control server in
// control.json (kind "app"), `portico run` uses it instead of starting a serve, the route
// shows in the app's service while the command runs, and `portico stop` leaves the app alone.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { publishControl } from '../../electron/control-address.js';
import { closeAfter } from '../helpers/cleanup.js';
import { startService } from '../helpers/service.js';
import { ECHO_ENV_SERVER, killPid, portico, startRun } from '../helpers/portico-run.js';

const closeEach = closeAfter('each');

it("uses the app's engine through control.json, shows the process route there, and portico stop refuses to quit the app", async () => {
  const { service, dataDir, close } = await startService({ routes: [] });
  closeEach(close, (c) => c());
  closeEach(await publishControl(service, { dataDir, version: 'test', appPath: dataDir, log: () => {} }));
  expect(JSON.parse(await readFile(join(dataDir, 'control.json'), 'utf8'))).toMatchObject({ kind: 'app', pid: process.pid });

  const app = join(dataDir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'server.cjs'), ECHO_ENV_SERVER);
  const run = startRun(['--name', 'from-app', '--', 'node', 'server.cjs'], { cwd: app, dataDir });
  closeEach(run, (r) => killPid(r.child.pid));
  await run.printed('listening on');
  expect(run.stderr()).not.toContain('starting');
  const [entry] = await service.call('processes.list', undefined);
  expect(entry).toMatchObject({ host: 'from-app.localhost', command: 'node server.cjs', ownerPid: run.child.pid });
  expect(service.routes().map((r) => r.host)).toContain('from-app.localhost');

  const stop = portico(['stop', '--data-dir', dataDir]);
  expect(stop.status).toBe(1);
  expect(stop.stderr).toContain('desktop app');

  run.child.kill('SIGTERM');
  expect((await run.exited).code).toBe(143);
  expect(await service.call('processes.list', undefined)).toEqual([]);
  expect(service.routes().map((r) => r.host)).not.toContain('from-app.localhost');
});
