// trust.*, doctor and hosts.* commands: the same adapters `portico trust|doctor|hosts` use,
// run through the front door's runner (sudo-prompt in the app, sudo/pkexec headless).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyHostsChange, defaultHostsFile, namesInBlock, planHostsChange } from '../hosts/index.js';
import { caFiles } from '../tls/index.js';
import { commandLine, diagnose, failureLine, readTrustRoot, selectStores, shellFlavor, trustStores, type TrustEnvironment } from '../trust/index.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';
import { CommandFailure } from './types.js';

type TrustHandlers = Pick<Handlers, 'trust.status' | 'trust.install' | 'trust.uninstall' | 'doctor' | 'hosts.status' | 'hosts.set'>;

export interface TrustOptions {
  env: TrustEnvironment;
  hostsFile?: string;
}

export function trustCommands(service: ServiceContext, options: TrustOptions): TrustHandlers {
  const { env } = options;
  // A sysroot (tests, PORTICO_SYSROOT) holds its own hosts file, never this machine's.
  const hostsFile = options.hostsFile ?? (env.sysroot === '/' ? defaultHostsFile(env.platform) : path.join(env.sysroot, 'etc', 'hosts'));
  const root = () => readTrustRoot(caFiles(service.dataDir).cert);
  const show = (commands: { cmd: string; args: string[]; elevate: boolean }[]) =>
    commands.map((c) => env.runner.display(c) || commandLine(c.cmd, c.args, shellFlavor(env.platform)));

  const change = (action: 'install' | 'uninstall') => async (input: { only?: string[] | undefined } | undefined) => {
    const trustRoot = await root();
    const { selected, unknown } = selectStores((await trustStores(env)).stores, input?.only ?? []);
    if (unknown.length > 0) throw new CommandFailure(`no trust store called ${unknown.join(', ')}`, undefined, 404);
    const results = [];
    for (const store of selected) {
      if (!(await store.detect())) continue;
      const run = await store[action](trustRoot);
      results.push({
        id: store.id,
        label: store.label,
        ok: run.code === 0,
        ...(run.code !== 0 && { message: failureLine(run) }),
        status: await store.status(trustRoot),
      });
    }
    return results;
  };

  /** Route hosts a browser cannot resolve by itself: everything outside *.localhost. */
  const needsHostsEntry = () =>
    service
      .routes()
      .map((r) => r.host.replace(/^\*\./, ''))
      .filter((host) => host !== 'localhost' && !host.endsWith('.localhost') && !/^\d/.test(host));

  const hostsStatus = async () => {
    const names = namesInBlock(await readFile(hostsFile, 'latin1').catch(() => ''));
    return { file: hostsFile, names, missing: [...new Set(needsHostsEntry())].filter((h) => !names.includes(h)) };
  };

  return {
    'trust.status': async () => {
      const trustRoot = await root();
      const reports = [];
      for (const store of (await trustStores(env)).stores) {
        reports.push({
          id: store.id,
          group: store.group,
          label: store.label,
          status: await store.status(trustRoot),
          installCommands: show(store.installCommands(trustRoot)),
          uninstallCommands: show(store.uninstallCommands(trustRoot)),
        });
      }
      return reports;
    },
    'trust.install': change('install'),
    'trust.uninstall': change('uninstall'),
    doctor: async () =>
      diagnose({
        env,
        root: await root(),
        leaves: service.certificates.store,
        suffixes: service.fileConfig.ca.suffixes,
        routeHosts: service.routes().map((r) => r.host),
      }),
    'hosts.status': hostsStatus,
    'hosts.set': async ({ names }) => {
      const plan = await planHostsChange(hostsFile, names);
      if (plan.changed) await applyHostsChange(plan, env.runner, env.platform);
      return hostsStatus();
    },
  };
}
