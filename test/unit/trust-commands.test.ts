// Commands as data: how they read, and how a plan of them runs through a runner.
import { describe, expect, it } from 'vitest';
import { batchScript, commandLine, failureLine, quotePosix, quoteWindows, runPlan } from '../../proxy-core/system/command-plans.js';
import type { Command, CommandRunner, RunResult } from '../../proxy-core/trust/types.js';

describe('quoting', () => {
  it.each([
    ['certutil', 'certutil'],
    ['/usr/local/share/ca-certificates/portico-ab.crt', '/usr/local/share/ca-certificates/portico-ab.crt'],
    ['C,,', 'C,,'],
    ['Portico Development CA 1a2b', "'Portico Development CA 1a2b'"],
    ["it's", "'it'\\''s'"],
    ['', "''"],
    ['$HOME', "'$HOME'"],
  ])('posix %j → %s', (word, quoted) => expect(quotePosix(word)).toBe(quoted));

  it.each([
    ['C:\\Users\\me\\root.pem', 'C:\\Users\\me\\root.pem'],
    ['C:\\Users\\Jane Doe\\root.pem', '"C:\\Users\\Jane Doe\\root.pem"'],
  ])('windows %j → %s', (word, quoted) => expect(quoteWindows(word)).toBe(quoted));

  it('a command line quotes each word for its shell', () => {
    expect(commandLine('certutil', ['-A', '-n', 'Portico CA x', '-t', 'C,,'])).toBe("certutil -A -n 'Portico CA x' -t C,,");
    expect(commandLine('certutil', ['-user', '-addstore', 'Root', 'C:\\a b\\root.pem'], 'windows')).toBe('certutil -user -addstore Root "C:\\a b\\root.pem"');
  });

  it('a batch stops at the first failure, except for steps that may fail', () => {
    const steps: Command[] = [
      { cmd: 'rm', args: ['-f', '/x y'], elevate: true },
      { cmd: 'security', args: ['delete-certificate', '-Z', 'AB'], elevate: true, mayFail: true },
      { cmd: 'update-ca-certificates', args: ['--fresh'], elevate: true },
    ];
    expect(batchScript(steps)).toBe("rm -f '/x y' && { security delete-certificate -Z AB || true; } && update-ca-certificates --fresh");
    expect(batchScript(steps, 'windows')).toBe('rm -f "/x y" && (security delete-certificate -Z AB || ver>nul) && update-ca-certificates --fresh');
  });
});

/** A runner that records what it was asked and answers from a script. */
function fakeRunner(answers: Record<string, number> = {}, batch = false) {
  const calls: string[] = [];
  const result = (line: string): RunResult => ({ code: answers[line] ?? 0, stdout: `${line} out\n`, stderr: answers[line] ? `${line}: failed\n` : '' });
  const runner: CommandRunner = {
    async run(cmd, args, { elevate }) {
      const line = commandLine(cmd, args);
      calls.push(`${elevate ? 'elevated ' : ''}${line}`);
      return result(line);
    },
    display: (c) => commandLine(c.cmd, c.args),
  };
  if (batch) {
    runner.runElevatedBatch = async (commands) => {
      calls.push(`batch[${commands.map((c) => commandLine(c.cmd, c.args)).join(' ; ')}]`);
      return { code: 0, stdout: '', stderr: '' };
    };
  }
  return { runner, calls };
}

const plan: Command[] = [
  { cmd: 'a', args: [], elevate: false },
  { cmd: 'b', args: [], elevate: true },
  { cmd: 'c', args: [], elevate: true },
  { cmd: 'd', args: [], elevate: false },
];

describe('runPlan', () => {
  it('runs each command in order, elevated where marked', async () => {
    const { runner, calls } = fakeRunner();
    expect((await runPlan(runner, plan)).code).toBe(0);
    expect(calls).toEqual(['a', 'elevated b', 'elevated c', 'd']);
  });

  it('hands consecutive elevated commands over as one batch (one password prompt)', async () => {
    const { runner, calls } = fakeRunner({}, true);
    await runPlan(runner, plan);
    expect(calls).toEqual(['a', 'batch[b ; c]', 'd']);
  });

  it('stops at the first failure and reports it', async () => {
    const { runner, calls } = fakeRunner({ b: 1 });
    const result = await runPlan(runner, plan);
    expect(result.code).toBe(1);
    expect(calls).toEqual(['a', 'elevated b']);
    expect(failureLine(result)).toBe('b: failed');
  });

  it('carries on past a step that may fail', async () => {
    const { runner, calls } = fakeRunner({ b: 1 });
    const result = await runPlan(
      runner,
      plan.map((c) => (c.cmd === 'b' ? { ...c, mayFail: true } : c)),
    );
    expect(result.code).toBe(0);
    expect(calls).toHaveLength(4);
  });
});

describe('failureLine', () => {
  it.each([
    [
      { code: 255, stdout: '', stderr: 'certutil: function failed: SEC_ERROR_BAD_DATABASE: security library: bad database.\n' },
      'certutil: function failed: SEC_ERROR_BAD_DATABASE: security library: bad database.',
    ],
    [{ code: 1, stdout: 'Updating certificates...\n', stderr: '' }, 'Updating certificates...'],
    [{ code: 3, stdout: '', stderr: '' }, 'exit code 3'],
  ])('%#', (result, line) => expect(failureLine(result)).toBe(line));
});
