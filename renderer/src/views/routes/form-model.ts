// The route form's fields ↔ the contract's RouteSchema. Validation messages come from the
// schema itself (safeParse), so the form and the config file say the same words.
import { RouteSchema, routeTargets, type Route, type RouteInput } from '../../../../proxy-core/contract/index.js';

export interface FormValues {
  host: string;
  pathPrefix: string;
  targets: string[];
  https: 'both' | 'redirect' | 'off';
  changeOrigin: boolean;
  enabled: boolean;
}

/** Field name → message; targets are "target0", "target1"… */
export type FieldErrors = Record<string, string>;

export const emptyForm = (): FormValues => ({ host: '', pathPrefix: '', targets: [''], https: 'both', changeOrigin: false, enabled: true });

export function formFromRoute(route: Route): FormValues {
  return {
    host: route.host,
    pathPrefix: route.pathPrefix ?? '',
    targets: routeTargets(route),
    https: route.https,
    changeOrigin: route.changeOrigin,
    enabled: route.enabled,
  };
}

export function inputFromForm(values: FormValues, id?: string): RouteInput {
  const targets = values.targets.map((t) => t.trim()).filter((t, i) => t !== '' || i === 0);
  return {
    ...(id !== undefined && { id }),
    host: values.host,
    ...(values.pathPrefix.trim() !== '' && { pathPrefix: values.pathPrefix.trim() }),
    ...(targets.length === 1 ? { target: targets[0] } : { targets }),
    https: values.https,
    changeOrigin: values.changeOrigin,
    enabled: values.enabled,
  };
}

const LABELS: Record<string, string> = { host: 'Host', pathPrefix: 'Path prefix', target: 'Target', targets: 'Target' };

/** Checks the form with RouteSchema; undefined when it is valid. */
export function validate(values: FormValues): FieldErrors | undefined {
  const input = inputFromForm(values);
  const result = RouteSchema.safeParse(input);
  if (result.success) return undefined;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const [field, index] = issue.path;
    const key =
      field === 'target' ? 'target0' : field === 'targets' ? `target${typeof index === 'number' ? index : 0}` : String(field ?? 'form');
    const label = LABELS[String(field)] ?? '';
    // Schema messages are predicates ("must be a host name…"): the label makes a sentence.
    errors[key] ??= label ? `${label} ${issue.message}` : issue.message;
  }
  return errors;
}
