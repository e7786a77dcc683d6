// Writing the hosts file: atomically when we may write it ourselves, otherwise through
// the runner — the new text goes to a temp file and one elevated batch (one password
// prompt) backs up the original once, copies the new text beside it and renames it over.
import { constants } from 'node:fs';
import { access, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { failureLine, runPlan } from '../system/command-plans.js';
import type { Command, CommandRunner } from '../system/command-plans.js';
import { namesInBlock, planHostsText } from './block.js';
import { backupFileFor } from './paths.js';

export interface HostsChange {
  file: string;
  oldText: string;
  newText: string;
  changed: boolean;
  /** Names in the block before and after. */
  before: string[];
  after: string[];
  /** No backup yet: this change makes it. */
  backup?: string;
  /** We may write the file ourselves; else `elevatedCommands` do it. */
  writable: boolean;
}

const canWrite = (p: string) =>
  access(p, constants.W_OK).then(
    () => true,
    () => false,
  );
const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** Reads the file and plans the change; nothing is written. */
export async function planHostsChange(file: string, names: readonly string[]): Promise<HostsChange> {
  const oldText = await readFile(file, 'latin1');
  const newText = planHostsText(oldText, names);
  const backup = backupFileFor(file);
  return {
    file,
    oldText,
    newText,
    changed: newText !== oldText,
    before: namesInBlock(oldText),
    after: namesInBlock(newText),
    ...(!(await exists(backup)) && { backup }),
    writable: (await canWrite(file)) && (await canWrite(path.dirname(file))),
  };
}

/** The elevated steps that put `tempFile` in place of the hosts file. */
export function elevatedCommands(change: HostsChange, tempFile: string, platform: NodeJS.Platform = process.platform): Command[] {
  const staged = `${change.file}.portico-new`;
  if (platform === 'win32') {
    const cmd = (...args: string[]): Command => ({ cmd: 'cmd', args: ['/d', '/c', ...args], elevate: true });
    return [
      ...(change.backup ? [cmd('copy', '/Y', change.file, change.backup)] : []),
      cmd('copy', '/Y', tempFile, staged),
      cmd('move', '/Y', staged, change.file),
    ];
  }
  return [
    ...(change.backup ? [{ cmd: 'cp', args: ['-p', change.file, change.backup], elevate: true }] : []),
    { cmd: 'install', args: ['-m', '0644', tempFile, staged], elevate: true },
    // A rename, so a reader never sees half a file.
    { cmd: 'mv', args: ['-f', staged, change.file], elevate: true },
  ];
}

/** Carries out a planned change. Throws with the command's own words if elevation fails. */
export async function applyHostsChange(change: HostsChange, runner: CommandRunner, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (!change.changed) return;
  if (change.writable) {
    if (change.backup) await copyFile(change.file, change.backup, constants.COPYFILE_EXCL).catch(ignoreExists);
    await writeFileAtomic(change.file, change.newText, { encoding: 'latin1' }).catch(async (error: NodeJS.ErrnoException) => {
      // A bind-mounted /etc/hosts (containers) cannot be renamed over: write it in place.
      if (error.code !== 'EBUSY' && error.code !== 'EXDEV') throw error;
      await writeFile(change.file, change.newText, 'latin1');
    });
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-hosts-'));
  try {
    const temp = path.join(dir, 'hosts');
    await writeFile(temp, change.newText, { encoding: 'latin1', mode: 0o644 });
    const result = await runPlan(runner, elevatedCommands(change, temp, platform));
    if (result.code !== 0) throw new Error(`could not update ${change.file}: ${failureLine(result)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function ignoreExists(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}
