// Node.js ignores the OS trust stores and reads its own bundle, plus one extra file named
// by NODE_EXTRA_CA_CERTS. We cannot set a variable in the user's shell, so we show the line.
import { readFileSync } from 'node:fs';
import { quotePosix, quoteWindows } from '../system/command-plans.js';
import { bundleHolds } from './root.js';
import type { StoreStatus, TrustRoot } from './types.js';

export function nodeExtraCaLine(rootFile: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? `setx NODE_EXTRA_CA_CERTS ${quoteWindows(rootFile)}` : `export NODE_EXTRA_CA_CERTS=${quotePosix(rootFile)}`;
}

export function nodeClientsStatus(
  root: TrustRoot,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  read = (f: string) => readFileSync(f, 'utf8'),
): StoreStatus {
  const fix = `${nodeExtraCaLine(root.file, platform)}   (in your shell profile; Node reads it at start-up)`;
  const file = env['NODE_EXTRA_CA_CERTS'];
  if (!file) return { state: 'not trusted', detail: 'NODE_EXTRA_CA_CERTS is not set', fix };
  let text: string;
  try {
    text = read(file);
  } catch {
    return { state: 'not trusted', detail: `NODE_EXTRA_CA_CERTS=${file} cannot be read`, fix };
  }
  return bundleHolds(text, root)
    ? { state: 'trusted', detail: `NODE_EXTRA_CA_CERTS=${file}` }
    : { state: 'not trusted', detail: `NODE_EXTRA_CA_CERTS=${file} does not hold this root`, fix };
}
