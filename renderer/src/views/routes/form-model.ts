// The route form's fields ↔ the contract's RouteSchema. Validation messages come from the
// schema itself (safeParse), so the form and the config file say the same words.
import { RouteSchema, routeTargets, type Route, type RouteInput } from '../../../../proxy-core/contract/index.js';
import { ROUTE_SWITCHES } from './switches/index.js';

export interface FormValues {
  host: string;
  pathPrefix: string;
  targets: string[];
  https: 'both' | 'redirect' | 'off';
  changeOrigin: boolean;
  enabled: boolean;
  /** The switch fields the route sets itself (absent: it follows settings.defaults). */
  switches: Partial<RouteInput>;
}

/** Field path → message; targets are "target0", "target1"…, switches "compression.threshold"… */
export type FieldErrors = Record<string, string>;

export const emptyForm = (): FormValues => ({ host: '', pathPrefix: '', targets: [''], https: 'both', changeOrigin: false, enabled: true, switches: {} });

export function formFromRoute(route: Route): FormValues {
  return {
    host: route.host,
    pathPrefix: route.pathPrefix ?? '',
    targets: route.redirect ? [''] : routeTargets(route),
    https: route.https,
    changeOrigin: route.changeOrigin,
    enabled: route.enabled,
    switches: Object.fromEntries(
      ROUTE_SWITCHES.flatMap(({ key, moreKeys = [] }) => [key, ...moreKeys])
        .filter((key) => route[key] !== undefined)
        .map((key) => [key, route[key]]),
    ),
  };
}

export function inputFromForm(values: FormValues, id?: string): RouteInput {
  const targets = values.targets.map((t) => t.trim()).filter((t, i) => t !== '' || i === 0);
  return {
    ...(id !== undefined && { id }),
    host: values.host,
    ...(values.pathPrefix.trim() !== '' && { pathPrefix: values.pathPrefix.trim() }),
    // A redirect route has no target (the form hides them and keeps what was typed).
    ...(values.switches.redirect === undefined && (targets.length === 1 ? { target: targets[0] } : { targets })),
    https: values.https,
    changeOrigin: values.changeOrigin,
    enabled: values.enabled,
    ...Object.fromEntries(Object.entries(values.switches).filter(([, value]) => value !== undefined)),
  };
}

const LABELS: Record<string, string> = {
  host: 'Host',
  pathPrefix: 'Path prefix',
  target: 'Target',
  targets: 'Target',
  ...Object.assign({}, ...ROUTE_SWITCHES.map((s) => s.labels)),
};

export type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][]; issues?: Issue[] };

/**
 * A switch is `true | false | {options}`: zod reports a wrong option as a union failure.
 * The branch whose issues reach inside the value (the options object) is the one meant.
 * A bad key of a map (a header name) comes as "Invalid key": its own message says why.
 */
function flatten(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'invalid_key' && issue.issues?.length) return issue.issues.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
    const branch = issue.code === 'invalid_union' ? issue.errors?.find((b) => b.some((i) => i.path.length > 0)) : undefined;
    return branch ? flatten(branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))) : [issue];
  });
}

/** Schema issues as messages by field path, each with its field's label. */
export function fieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of flatten(issues)) {
    const [field, index] = issue.path;
    const key =
      field === 'target' ? 'target0' : field === 'targets' ? `target${typeof index === 'number' ? index : 0}` : issue.path.map(String).join('.') || 'form';
    // "rewrite.regex.0.match" is labelled as "rewrite.regex.match", else as its field.
    const label = LABELS[key] ?? LABELS[issue.path.filter((p) => typeof p !== 'number').join('.')] ?? LABELS[String(field)] ?? '';
    // Schema messages are predicates ("must be a host name…"): the label makes a sentence.
    errors[key] ??= label ? `${label} ${issue.message}` : issue.message;
  }
  return errors;
}

/** Checks the form with RouteSchema; undefined when it is valid. */
export function validate(values: FormValues): FieldErrors | undefined {
  const result = RouteSchema.safeParse(inputFromForm(values));
  return result.success ? undefined : fieldErrors(result.error.issues as Issue[]);
}
