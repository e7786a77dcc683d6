// The rule editor's fields ↔ a rule as the config writes it. The fields carry the config's
// own words (match.host, pathPrefix, respond.status…), so what the form shows is what the
// file will hold. Checked with the contract's schema before it is sent.
import { NewRuleSchema, type NewRuleInput } from '../../../../proxy-core/contract/index.js';

export type ActionKind = 'respond' | 'delay' | 'fail' | 'breakpoint';

export interface RuleFields {
  id: string;
  name: string;
  enabled: boolean;
  host: string;
  pathPrefix: string;
  pathRegex: string;
  method: string;
  headerName: string;
  headerValue: string;
  queryName: string;
  queryValue: string;
  action: ActionKind;
  status: string;
  /** "name: value" lines. */
  headers: string;
  bodyKind: 'body' | 'file';
  body: string;
  file: string;
  delayMs: string;
  fail: 'status' | 'reset' | 'timeout';
  failStatus: string;
  breakpoint: 'request' | 'response' | 'both';
}

export function fieldsFromRule(rule: NewRuleInput): RuleFields {
  const m = rule.match ?? {};
  const a = rule.action;
  const respond = 'respond' in a ? a.respond : undefined;
  const fail = 'fail' in a ? a.fail : undefined;
  return {
    id: rule.id ?? '',
    name: rule.name ?? '',
    enabled: rule.enabled ?? true,
    host: m.host ?? '',
    pathPrefix: m.pathPrefix ?? '',
    pathRegex: m.pathRegex ?? '',
    method: m.method ?? '',
    headerName: m.header?.name ?? '',
    headerValue: m.header?.value ?? '',
    queryName: m.query?.name ?? '',
    queryValue: m.query?.value ?? '',
    action: 'respond' in a ? 'respond' : 'delay' in a ? 'delay' : 'fail' in a ? 'fail' : 'breakpoint',
    status: String(respond?.status ?? 200),
    headers: Object.entries(respond?.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    bodyKind: respond?.file !== undefined ? 'file' : 'body',
    body: respond?.body ?? (respond?.json !== undefined ? JSON.stringify(respond.json, null, 2) : ''),
    file: respond?.file ?? '',
    delayMs: 'delay' in a ? String(a.delay.ms) : '1000',
    fail: fail === undefined || typeof fail === 'object' ? 'status' : fail,
    failStatus: typeof fail === 'object' ? String(fail.status) : '503',
    breakpoint: 'breakpoint' in a ? a.breakpoint : 'request',
  };
}

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

function headerRecord(lines: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of lines.split('\n')) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

export function ruleFromFields(f: RuleFields): NewRuleInput {
  const named = (name: string, value: string) => (opt(name) === undefined ? undefined : { name: name.trim(), value: opt(value) });
  const match = {
    host: opt(f.host),
    pathPrefix: opt(f.pathPrefix),
    pathRegex: opt(f.pathRegex),
    method: opt(f.method),
    header: named(f.headerName, f.headerValue),
    query: named(f.queryName, f.queryValue),
  };
  let action: NewRuleInput['action'];
  if (f.action === 'respond') {
    action = {
      respond: {
        status: Number(f.status),
        headers: headerRecord(f.headers),
        ...(f.bodyKind === 'file' ? { file: f.file.trim() } : f.body !== '' ? { body: f.body } : {}),
      },
    };
  } else if (f.action === 'delay') action = { delay: { ms: Number(f.delayMs) } };
  else if (f.action === 'fail') action = { fail: f.fail === 'status' ? { status: Number(f.failStatus) } : f.fail };
  else action = { breakpoint: f.breakpoint };
  return { id: opt(f.id), name: opt(f.name), enabled: f.enabled, match, action };
}

/** Problems the schema finds, as "field: message" lines; empty when the rule is fine. */
export function ruleProblems(rule: NewRuleInput): string[] {
  const parsed = NewRuleSchema.safeParse(rule);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`);
}

/** A one-line summary for the list: "GET shop.localhost/api/cart → respond 500". */
export function describeRule(rule: NewRuleInput): string {
  const m = rule.match ?? {};
  const where = `${m.method ? `${m.method} ` : ''}${m.host ?? '*'}${m.pathPrefix ?? ''}${m.pathRegex ? ` ~ /${m.pathRegex}/` : ''}`;
  const extra = [
    m.header && `header ${m.header.name}${m.header.value ? `=${m.header.value}` : ''}`,
    m.query && `?${m.query.name}${m.query.value ? `=${m.query.value}` : ''}`,
  ]
    .filter(Boolean)
    .join(', ');
  const a = rule.action;
  const what =
    'respond' in a
      ? `respond ${a.respond.status ?? 200}${a.respond.file ? ` from ${a.respond.file}` : ''}`
      : 'delay' in a
        ? `delay ${a.delay.ms} ms`
        : 'fail' in a
          ? `fail ${typeof a.fail === 'object' ? a.fail.status : a.fail}`
          : `breakpoint on ${a.breakpoint}`;
  return `${where}${extra ? ` (${extra})` : ''} → ${what}`;
}
