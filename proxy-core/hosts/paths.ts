// Where the OS keeps its hosts file.
import path from 'node:path';

export function defaultHostsFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'drivers', 'etc', 'hosts');
  return '/etc/hosts'; // macOS too (a link to /private/etc/hosts)
}

/** The one-time copy of the file as it was before Portico first changed it. */
export const backupFileFor = (file: string): string => `${file}.portico-backup`;
