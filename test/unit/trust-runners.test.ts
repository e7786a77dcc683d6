// How the CLI elevates, and the desktop runner's use of sudo-prompt (injected here).
import { describe, expect, it } from 'vitest';
import { cliElevation, cliRunner, spawnCommand, sudoPromptRunner, type ElevationFacts } from '../../proxy-core/system/runners.js';

const facts = (over: Partial<ElevationFacts> & { tools?: string[] }): ElevationFacts => ({
  platform: 'linux',
  uid: 1000,
  interactive: true,
  has: (cmd) => (over.tools ?? ['sudo', 'pkexec']).includes(cmd),
  ...over,
});

describe('cliElevation', () => {
  it.each([
    ['root needs nothing', facts({ uid: 0 }), 'none'],
    ['a terminal: sudo', facts({}), 'sudo'],
    ['no terminal, a graphical agent: pkexec', facts({ interactive: false }), 'pkexec'],
    ['no terminal, no pkexec: sudo (it may have cached credentials)', facts({ interactive: false, tools: ['sudo'] }), 'sudo'],
    ['only pkexec', facts({ tools: ['pkexec'] }), 'pkexec'],
    ['neither', facts({ tools: [] }), 'unavailable'],
    ['macOS user: sudo', facts({ platform: 'darwin', tools: ['sudo'] }), 'sudo'],
    ["Windows: an elevated terminal is the user's job", facts({ platform: 'win32', uid: undefined }), 'unavailable'],
  ] as const)('%s', (_name, f, expected) => expect(cliElevation(f)).toBe(expected));
});

describe('cliRunner', () => {
  const cmd = { cmd: 'update-ca-certificates', args: [], elevate: true };
  it('shows sudo where it will add it, and nothing as root', () => {
    expect(cliRunner('sudo').display(cmd)).toBe('sudo update-ca-certificates');
    expect(cliRunner('none').display(cmd)).toBe('update-ca-certificates');
    expect(cliRunner('sudo').display({ ...cmd, elevate: false })).toBe('update-ca-certificates');
  });

  it('batches only with pkexec, which would otherwise ask once per command', () => {
    expect(cliRunner('pkexec').runElevatedBatch).toBeTypeOf('function');
    expect(cliRunner('sudo').runElevatedBatch).toBeUndefined();
  });

  it('says what to do when it cannot elevate, without running anything', async () => {
    const result = await cliRunner('unavailable').run('touch', ['/nope'], { elevate: true });
    expect(result.code).toBe(126);
    expect(result.stderr).toContain('administrator rights');
  });

  it('runs real programs; a missing one is exit 127 like a shell', async () => {
    expect(await spawnCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    const missing = await spawnCommand('portico-no-such-program', []);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('command not found');
  });
});

describe('sudoPromptRunner', () => {
  function fakeSudo(fail?: string) {
    const lines: string[] = [];
    const load = async () => ({
      exec(line: string, options: { name?: string }, callback: (error?: Error, stdout?: string, stderr?: string) => void) {
        lines.push(`${options.name}: ${line}`);
        if (fail) callback(new Error(fail));
        else callback(undefined, 'done\n', '');
      },
    });
    return { lines, load };
  }

  it('runs a batch of elevated commands as one prompt, named Portico', async () => {
    const { lines, load } = fakeSudo();
    const runner = sudoPromptRunner({ load });
    const result = await runner.runElevatedBatch!([
      { cmd: 'install', args: ['-D', '-m', '0644', '/tmp/a b.pem', '/usr/local/share/ca-certificates/portico-1.crt'], elevate: true },
      { cmd: 'update-ca-certificates', args: [], elevate: true },
    ]);
    expect(result).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    expect(lines).toEqual(["Portico: install -D -m 0644 '/tmp/a b.pem' /usr/local/share/ca-certificates/portico-1.crt && update-ca-certificates"]);
  });

  it('turns a refused prompt into a failed result', async () => {
    const { load } = fakeSudo('User did not grant permission.');
    const result = await sudoPromptRunner({ load }).run('true', [], { elevate: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('User did not grant permission.');
  });

  it('runs unelevated commands directly, never loading sudo-prompt', async () => {
    const { lines, load } = fakeSudo();
    const result = await sudoPromptRunner({ load }).run('sh', ['-c', 'echo hi'], { elevate: false });
    expect(result.stdout).toBe('hi\n');
    expect(lines).toEqual([]);
  });
});
