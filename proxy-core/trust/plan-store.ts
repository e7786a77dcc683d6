// A trust store whose install and uninstall are its command plans, run.
import { runPlan } from '../system/command-plans.js';
import type { CommandRunner, TrustStore } from './types.js';

/** A store from its read side and its plans: install/uninstall are the plans, run. */
export function planStore(runner: CommandRunner, spec: Omit<TrustStore, 'install' | 'uninstall'>): TrustStore {
  return {
    ...spec,
    install: (root) => runPlan(runner, spec.installCommands(root)),
    uninstall: (root) => runPlan(runner, spec.uninstallCommands(root)),
  };
}
