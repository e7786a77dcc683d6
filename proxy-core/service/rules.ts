// rules.* and breakpoints.* commands. Rules live in the config file's top-level `rules`
// (edits are saved atomically and in force at once, like routes); paused exchanges are
// the engine's, for this run only.
import { randomUUID } from 'node:crypto';
import type { Rule } from '../contract/index.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';
import { CommandFailure } from './types.js';

type RuleHandlers = Pick<
  Handlers,
  'rules.list' | 'rules.create' | 'rules.update' | 'rules.delete' | 'rules.move' | 'breakpoints.list' | 'breakpoints.resume' | 'breakpoints.abort'
>;

export function ruleCommands(service: ServiceContext): RuleHandlers {
  const rules = (): Rule[] => service.fileConfig.rules;
  const find = (id: string): Rule => {
    const rule = rules().find((r) => r.id === id);
    if (!rule) throw new CommandFailure(`no rule with id "${id}"`, undefined, 404);
    return rule;
  };
  const save = (edit: (list: Rule[]) => Rule[]) => service.commit((current) => ({ ...current, rules: edit([...current.rules]) }));

  return {
    'rules.list': () => rules(),
    'rules.create': async ({ rule, index }) => {
      const id = rule.id ?? `rule-${randomUUID().slice(0, 8)}`;
      if (rules().some((r) => r.id === id)) throw new CommandFailure(`a rule with id "${id}" exists already`, undefined, 409);
      await save((list) => {
        list.splice(index ?? list.length, 0, { ...rule, id });
        return list;
      });
      return find(id);
    },
    'rules.update': async ({ id, rule }) => {
      find(id);
      if (rule.id !== id && rules().some((r) => r.id === rule.id)) throw new CommandFailure(`a rule with id "${rule.id}" exists already`, undefined, 409);
      await save((list) => list.map((r) => (r.id === id ? rule : r)));
      return find(rule.id);
    },
    'rules.delete': async ({ id }) => {
      const rule = find(id);
      await save((list) => list.filter((r) => r.id !== id));
      return rule;
    },
    'rules.move': async ({ id, index }) => {
      const rule = find(id);
      await save((list) => {
        const rest = list.filter((r) => r.id !== id);
        rest.splice(Math.min(index, rest.length), 0, rule);
        return rest;
      });
      return rules();
    },
    'breakpoints.list': () => service.engine.breakpoints.list(),
    // False when nothing waits under that id any more: it went on by itself (the timeout,
    // the client left) a moment before the click, which is no error.
    'breakpoints.resume': ({ id, edits }) => ({ resumed: service.engine.breakpoints.resume(id, edits) }),
    'breakpoints.abort': ({ id }) => ({ aborted: service.engine.breakpoints.abort(id) }),
  };
}
