// Linux's one-time switch that lets a user's Portico listen on 80 and 443: lower the first
// unprivileged port to 80 now (sysctl -w) and for every boot (a file in /etc/sysctl.d).
// Built as commands for the elevation runner; nothing here runs anything.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runPlan } from '../system/command-plans.js';
import type { Command, CommandRunner, RunResult } from '../system/command-plans.js';

export const UNPRIVILEGED_PORT_KEY = 'net.ipv4.ip_unprivileged_port_start';
export const SYSCTL_FILE_NAME = '50-portico.conf';

export function sysctlFileText(port = 80): string {
  return `# Written by Portico: lets programs run by any user listen on ports from ${port} up (http 80, https 443).\n${UNPRIVILEGED_PORT_KEY}=${port}\n`;
}

/** `tempFile` must already hold sysctlFileText(port). */
export function unprivilegedPortsCommands(tempFile: string, options: { port?: number; sysctlDir?: string } = {}): Command[] {
  const port = options.port ?? 80;
  const target = path.join(options.sysctlDir ?? '/etc/sysctl.d', SYSCTL_FILE_NAME);
  return [
    { cmd: 'install', args: ['-D', '-m', '0644', tempFile, target], elevate: true },
    { cmd: 'sysctl', args: ['-w', `${UNPRIVILEGED_PORT_KEY}=${port}`], elevate: true },
  ];
}

/** The current value, read from /proc (path injectable); undefined where there is none. */
export function parseUnprivilegedPortStart(text: string | undefined): number | undefined {
  const trimmed = text?.trim() ?? '';
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** The running kernel's value, or undefined off Linux (the path is a parameter for tests). */
export async function readUnprivilegedPortStart(file = '/proc/sys/net/ipv4/ip_unprivileged_port_start'): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  return parseUnprivilegedPortStart(await readFile(file, 'utf8').catch(() => undefined));
}

/** Carries the offer out: stages the file, then one elevated batch installs it and applies it. */
export async function allowUnprivilegedPorts(runner: CommandRunner, options: { port?: number; sysctlDir?: string } = {}): Promise<RunResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-sysctl-'));
  try {
    const staged = path.join(dir, SYSCTL_FILE_NAME);
    await writeFile(staged, sysctlFileText(options.port), { mode: 0o644 });
    return await runPlan(runner, unprivilegedPortsCommands(staged, options));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
