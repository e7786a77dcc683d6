// Runs the electronegativity scan (Doyensec) on argv[2] for Electron argv[3] and prints
// the findings as one JSON line prefixed "findings: ". A separate process, because the scanner fetches translations
// and release data over the network on every run: offline, `got` gives up by throwing from
// a timer (p-cancelable "onCancel handler was attached after the promise settled"), which
// would take a test worker down. Here that one error is ignored; the scan itself is local.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');

process.on('uncaughtException', (error) => {
  if (/onCancel. handler was attached/.test(error.message)) return;
  console.error(error);
  process.exit(2);
});

const [input, electronVersion] = process.argv.slice(2);
const { issues, errors } = await run({
  input,
  isRelative: true,
  customScan: [],
  // This global check asks GitHub for Electron releases with fixes; it needs the network.
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  electronVersionOverride: electronVersion,
  severitySet: 'informational',
  confidenceSet: 'tentative',
});
const findings = issues.map((i) => ({
  id: i.id,
  severity: i.severity.name,
  confidence: i.confidence.name,
  file: i.file,
  line: i.location.line,
  sample: i.sample,
}));
process.stdout.write(`findings: ${JSON.stringify({ findings, errors: errors.length })}\n`);
process.exit(0);
