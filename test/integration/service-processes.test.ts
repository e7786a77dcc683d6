// processes.* through the control service: a route owned by a pid goes when that process
// does (even with no connection to notice), a taken host is a 409 naming its holder, and
// processes.stop asks the owner over events instead of signalling any pid it is given.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { closeAfter } from '../helpers/cleanup.js';
import { startService } from '../helpers/service.js';
import { CommandFailure } from '../../proxy-core/service/index.js';

const closeEach = closeAfter('each');

const add = (host: string, ownerPid: number, force?: boolean) => ({
  host,
  port: 4000,
  pid: ownerPid,
  ownerPid,
  command: 'node server.js',
  cwd: '/tmp/app',
  ...(force && { force }),
});

it('removes a process route once its owner pid is gone, with no connection to tell it', async () => {
  const { service, close } = await startService({ routes: [] });
  closeEach(close, (c) => c());
  const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  closeEach(owner, (c) => c.kill('SIGKILL'));
  const entry = await service.call('processes.add', add('owned.localhost', owner.pid!));
  expect(service.routes().find((r) => r.id === entry.id)).toMatchObject({ host: 'owned.localhost', target: 'http://127.0.0.1:4000' });

  owner.kill('SIGKILL');
  await new Promise((resolve) => owner.once('exit', resolve));
  await expect.poll(() => service.routes().some((r) => r.host === 'owned.localhost'), { timeout: 5_000, interval: 50 }).toBe(false);
  expect(await service.call('processes.list', undefined)).toEqual([]);
});

it('refuses a host a live process holds with a 409 naming it; force replaces it', async () => {
  const { service, close } = await startService({ routes: [] });
  closeEach(close, (c) => c());
  await service.call('processes.add', add('taken.localhost', process.pid));
  const refused = await service.call('processes.add', add('taken.localhost', process.pid)).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(CommandFailure);
  expect(refused).toMatchObject({ status: 409, message: expect.stringContaining(`taken by process ${process.pid} (node server.js) in /tmp/app`) });
  const forced = await service.call('processes.add', add('taken.localhost', process.pid, true));
  expect((await service.call('processes.list', undefined)).map((p) => p.id)).toEqual([forced.id]);
});

it('processes.stop asks the owner through an event and signals nothing itself', async () => {
  const { service, close } = await startService({ routes: [] });
  closeEach(close, (c) => c());
  // This process as the owner: a signal from the service would end the test run.
  const entry = await service.call('processes.add', add('stop.localhost', process.pid));
  const requests: string[] = [];
  service.on('processes.stopRequested', ({ id }) => requests.push(id));
  await service.call('processes.stop', { id: entry.id });
  expect(requests).toEqual([entry.id]);
  expect(await service.call('processes.list', undefined)).toHaveLength(1);
});
