// Portico's refusals of a route speak the config file's language ("routes[2].host: …").
// In the form they belong beside the field they name, in words about the route being
// edited, not about its index in a file the user may never have opened.
import type { FieldErrors, FormValues } from './form-model.js';

export interface PlacedIssues {
  /** Messages by form field ("host", "target0", "compression.threshold"…). */
  fields: FieldErrors;
  /** Messages that name no field of the form. */
  general: string[];
}

const ROUTE_PATH = /^routes\[\d+\]\.([\w.[\]]+):\s*(.*)$/s;

function formField(path: string): string {
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  if (dotted === 'target') return 'target0';
  const target = /^targets\.(\d+)/.exec(dotted);
  if (target) return `target${target[1]}`;
  return dotted;
}

export function placeServerIssues(issues: readonly string[], values: FormValues): PlacedIssues {
  const placed: PlacedIssues = { fields: {}, general: [] };
  for (const issue of issues) {
    const match = ROUTE_PATH.exec(issue);
    if (!match) {
      placed.general.push(issue);
      continue;
    }
    const [, path = '', message = ''] = match;
    const field = formField(path);
    const prefix = values.pathPrefix.trim();
    const text = /^repeats the host and path prefix/.test(message)
      ? `${values.host.trim()} already has a route for ${prefix ? `paths under ${prefix}` : 'every path'}: change the host or the path prefix, or add this target to that route`
      : message.replace(/\s*\(got [^)]*\)$/, '').replace(/ to ca\.suffixes\b/, ' to the CA names in Settings (Certificate names)');
    placed.fields[field] ??= text;
  }
  return placed;
}
