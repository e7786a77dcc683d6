// Traffic rules and paused exchanges: their own small store (rules.* and breakpoints.*
// commands, breakpoint.* events), so the Rules view, the breakpoint editor and the
// Traffic hooks share one copy without widening the main store's slices.
import { create } from 'zustand';
import type { Paused, Rule, NewRuleInput } from '../../../proxy-core/contract/index.js';
import { client, type Client } from '../api/client.js';
import { useStore } from './store.js';

/** A rule being edited: an existing one (by id), or a new one prefilled (from an exchange). */
export type RuleDraft = { id: string | undefined; rule: NewRuleInput };

export interface RulesState {
  rules: Rule[] | undefined;
  paused: Paused[];
  /** The rule editor's content while it is open. */
  draft: RuleDraft | undefined;
  setRules(rules: Rule[]): void;
  setPaused(paused: Paused[]): void;
  addPaused(paused: Paused): void;
  removePaused(id: string): void;
  edit(draft: RuleDraft | undefined): void;
}

export const useRules = create<RulesState>()((set) => ({
  rules: undefined,
  paused: [],
  draft: undefined,
  setRules: (rules) => set({ rules }),
  setPaused: (paused) => set({ paused }),
  addPaused: (paused) => set((s) => ({ paused: [...s.paused.filter((p) => p.id !== paused.id), paused] })),
  removePaused: (id) => set((s) => ({ paused: s.paused.filter((p) => p.id !== id) })),
  edit: (draft) => set({ draft }),
}));

/** Opens the rule editor on the Rules view with this draft. */
export function openRuleEditor(draft: RuleDraft): void {
  useRules.getState().edit(draft);
  useStore.getState().setView('rules');
}

function load(api: Client): void {
  const s = useRules.getState();
  api.call('rules.list').then(s.setRules, () => {});
  api.call('breakpoints.list').then(s.setPaused, () => {});
}

/** Loads rules and paused exchanges whenever the wire (re)opens, then follows the events. */
export function startRulesSync(api: Client = client): () => void {
  if (api.problem) return () => {};
  const s = useRules.getState();
  const offs = [
    api.on('config.changed', (config) => s.setRules(config.rules)),
    api.on('breakpoint.paused', (paused) => s.addPaused(paused)),
    api.on('breakpoint.resumed', (resumed) => s.removePaused(resumed.id)),
    api.onState((state) => state === 'open' && load(api)),
  ];
  if (api.state === 'open') load(api);
  return () => offs.forEach((off) => off());
}
