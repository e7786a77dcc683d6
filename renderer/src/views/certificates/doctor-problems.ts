// The doctor's problems, one line each with its fix: the same things the report counts
// (stores present but not trusted or unreadable, a failed handshake), so the count shown
// is always the length of the list shown.
import type { DoctorReport } from '../../../../proxy-core/contract/index.js';

export interface DoctorProblem {
  text: string;
  fix?: string | undefined;
}

export function doctorProblems(report: DoctorReport): DoctorProblem[] {
  const problems: DoctorProblem[] = report.stores
    .filter((store) => store.status.state === 'not trusted' || store.status.state === 'unknown')
    .map((store) => ({
      text: `${store.label}: ${store.status.state}${store.status.detail ? ` (${store.status.detail})` : ''}`,
      fix: store.status.fix,
    }));
  const h = report.handshake;
  if (!h.ok) problems.push({ text: `TLS handshake to ${h.host} failed against ${h.against} (${h.code ?? h.message ?? 'error'})`, fix: h.fix });
  return problems;
}

export function problemsHeading(count: number): string {
  return count === 0 ? 'No problems found.' : `${count} problem${count === 1 ? '' : 's'} found:`;
}
