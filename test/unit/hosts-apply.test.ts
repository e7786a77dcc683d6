// Writing a real (temp) hosts file: atomic when writable, one-time backup, and the
// elevated path — staged temp file, copy, rename — run for real without sudo.
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyHostsChange, elevatedCommands, planHostsChange } from '../../proxy-core/hosts/apply.js';
import { backupFileFor, defaultHostsFile } from '../../proxy-core/hosts/paths.js';
import { commandLine } from '../../proxy-core/system/command-plans.js';
import { cliRunner } from '../../proxy-core/system/runners.js';
import type { CommandRunner } from '../../proxy-core/trust/types.js';
import { tempDir } from '../helpers/trust.js';

const ORIGINAL = '# user stuff\r\n127.0.0.1 localhost\r\n10.1.2.3 printer.lan\r\n';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await tempDir('hosts');
  file = path.join(dir, 'hosts');
  await writeFile(file, ORIGINAL, { mode: 0o644 });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('hosts file', () => {
  it('writes the block, keeps CRLF and the user lines, backs the original up once', async () => {
    const change = await planHostsChange(file, ['shop.test']);
    expect(change).toMatchObject({ changed: true, before: [], after: ['shop.test'], backup: backupFileFor(file), writable: true });
    await applyHostsChange(change, cliRunner('none'));
    const text = await readFile(file, 'latin1');
    expect(text.startsWith(ORIGINAL)).toBe(true);
    expect(text).toContain('127.0.0.1 shop.test\r\n::1 shop.test\r\n# END portico\r\n');
    expect(await readFile(backupFileFor(file), 'latin1')).toBe(ORIGINAL);

    const second = await planHostsChange(file, ['shop.test', 'api.test']);
    expect(second.backup).toBeUndefined(); // only once: the backup is the pre-Portico file
    await applyHostsChange(second, cliRunner('none'));
    expect(await readFile(backupFileFor(file), 'latin1')).toBe(ORIGINAL);

    await applyHostsChange(await planHostsChange(file, []), cliRunner('none'));
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
    expect((await readdir(dir)).sort()).toEqual(['hosts', 'hosts.portico-backup']); // no temp files left
  });

  it('nothing to change: nothing written', async () => {
    const change = await planHostsChange(file, []);
    expect(change.changed).toBe(false);
    const before = await stat(file);
    await applyHostsChange(change, cliRunner('none'));
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
  });

  it('not writable: stages the text and runs one elevated batch of real cp/install/mv', async () => {
    const batches: string[][] = [];
    const runner: CommandRunner = {
      ...cliRunner('none'),
      // Stand-in for sudo-prompt: record the batch, then run it as is (we own the temp dir).
      async runElevatedBatch(commands) {
        batches.push(commands.map((c) => commandLine(c.cmd, c.args)));
        for (const c of commands) {
          const r = await cliRunner('none').run(c.cmd, c.args, { elevate: false });
          if (r.code !== 0) return r;
        }
        return { code: 0, stdout: '', stderr: '' };
      },
    };
    const change = { ...(await planHostsChange(file, ['shop.test'])), writable: false };
    await applyHostsChange(change, runner, 'linux');
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([
      `cp -p ${file} ${file}.portico-backup`,
      expect.stringMatching(new RegExp(`^install -m 0644 .*/portico-hosts-[^/]+/hosts ${file}\\.portico-new$`)),
      `mv -f ${file}.portico-new ${file}`,
    ]);
    expect(await readFile(file, 'latin1')).toBe(change.newText);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await readFile(backupFileFor(file), 'latin1')).toBe(ORIGINAL);
  });

  it('a refused elevation leaves the file as it was and says why', async () => {
    const change = { ...(await planHostsChange(file, ['shop.test'])), writable: false };
    await expect(applyHostsChange(change, cliRunner('unavailable'), 'linux')).rejects.toThrow(/could not update .*administrator rights/);
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
  });

  it('Windows: copy and move through cmd, elevated', async () => {
    const change = {
      ...(await planHostsChange(file, ['shop.test'])),
      file: 'C:\\Windows\\System32\\drivers\\etc\\hosts',
      backup: 'C:\\Windows\\System32\\drivers\\etc\\hosts.portico-backup',
    };
    expect(elevatedCommands(change, 'C:\\Temp\\p\\hosts', 'win32').map((c) => [c.elevate, commandLine(c.cmd, c.args, 'windows')])).toEqual([
      [true, 'cmd /d /c copy /Y C:\\Windows\\System32\\drivers\\etc\\hosts C:\\Windows\\System32\\drivers\\etc\\hosts.portico-backup'],
      [true, 'cmd /d /c copy /Y C:\\Temp\\p\\hosts C:\\Windows\\System32\\drivers\\etc\\hosts.portico-new'],
      [true, 'cmd /d /c move /Y C:\\Windows\\System32\\drivers\\etc\\hosts.portico-new C:\\Windows\\System32\\drivers\\etc\\hosts'],
    ]);
  });

  it.each([
    ['linux', {}, '/etc/hosts'],
    ['darwin', {}, '/etc/hosts'],
    ['win32', {}, 'C:\\Windows\\System32\\drivers\\etc\\hosts'],
    ['win32', { SystemRoot: 'D:\\WINNT' }, 'D:\\WINNT\\System32\\drivers\\etc\\hosts'],
  ] as const)('default path on %s %j', (platform, env, expected) => expect(defaultHostsFile(platform, env)).toBe(expected));
});
