// Port choice: 80/443 when allowed, else a fallback with its reason — per platform, with
// binding injected; plus Linux's one-time sysctl, built but never run here.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { choosePorts, type BindOutcome, type TryBind } from '../../proxy-core/ports/choose.js';
import { tryBind } from '../../proxy-core/ports/bind-probe.js';
import { readFile } from 'node:fs/promises';
import {
  allowUnprivilegedPorts,
  parseUnprivilegedPortStart,
  readUnprivilegedPortStart,
  sysctlFileText,
  unprivilegedPortsCommands,
} from '../../proxy-core/ports/sysctl.js';
import type { CommandRunner } from '../../proxy-core/trust/types.js';

/** A machine where `rules["port@host"]` (or `rules[port]`) says what binding gives; the rest binds. */
function machine(rules: Record<string, BindOutcome>): TryBind & { tried: string[] } {
  const tried: string[] = [];
  const bind = (async (port: number, host: string) => {
    tried.push(`${port}@${host}`);
    return rules[`${port}@${host}`] ?? rules[String(port)] ?? 'ok';
  }) as TryBind & { tried: string[] };
  bind.tried = tried;
  return bind;
}

const wanted = { http: 80, https: 443 };

describe('choosePorts', () => {
  it.each([
    [
      'Linux, allowed (root or the sysctl already set)',
      'linux',
      {},
      { http: { port: 80, host: '127.0.0.1' }, https: { port: 443, host: '127.0.0.1' }, offers: [] },
    ],
    [
      'Linux, privileged ports: 8080/8443 and the sysctl offer, once',
      'linux',
      { 80: 'EACCES', 443: 'EACCES' },
      {
        http: { port: 8080, host: '127.0.0.1', reason: 'port 80 needs privileges here; using 8080 instead' },
        https: { port: 8443, host: '127.0.0.1', reason: 'port 443 needs privileges here; using 8443 instead' },
        offers: [{ kind: 'unprivileged-ports', text: expect.stringContaining('net.ipv4.ip_unprivileged_port_start=80') }],
      },
    ],
    [
      'macOS: loopback refused, the wildcard allowed — bound there, loopback peers only',
      'darwin',
      { '80@127.0.0.1': 'EACCES', '443@127.0.0.1': 'EACCES' },
      {
        http: { port: 80, host: '0.0.0.0', loopbackOnly: true, reason: expect.stringContaining('only on all interfaces') },
        https: { port: 443, host: '0.0.0.0', loopbackOnly: true, reason: expect.stringContaining('peers other than this machine are refused') },
        offers: [],
      },
    ],
    [
      'macOS before 10.14: even the wildcard refused',
      'darwin',
      { 80: 'EACCES', 443: 'EACCES' },
      {
        http: { port: 8080, host: '127.0.0.1', reason: 'port 80 needs privileges here; using 8080 instead' },
        https: { port: 8443, host: '127.0.0.1', reason: 'port 443 needs privileges here; using 8443 instead' },
        offers: [],
      },
    ],
    [
      'Windows: 80 taken by IIS, 443 reserved (EACCES) — no sysctl to offer',
      'win32',
      { 80: 'EADDRINUSE', 443: 'EACCES' },
      {
        http: { port: 8080, host: '127.0.0.1', reason: 'port 80 is in use by another program; using 8080 instead' },
        https: { port: 8443, host: '127.0.0.1', reason: 'port 443 needs privileges here; using 8443 instead' },
        offers: [],
      },
    ],
    [
      'fallbacks taken too: the next one, then any free port',
      'linux',
      { 80: 'EADDRINUSE', 8080: 'EADDRINUSE', 443: 'EADDRINUSE', 8443: 'EADDRINUSE', 8444: 'EADDRINUSE', 8445: 'EADDRINUSE', 9443: 'EADDRINUSE' },
      {
        http: { port: 8081, host: '127.0.0.1', reason: 'port 80 is in use by another program; using 8081 instead' },
        https: { port: 0, host: '127.0.0.1', reason: 'port 443 is in use by another program; using a free port instead' },
        offers: [],
      },
    ],
    [
      'an odd error is reported as it is',
      'linux',
      { 80: 'EADDRNOTAVAIL' },
      {
        http: { port: 8080, host: '127.0.0.1', reason: 'port 80 cannot be used (EADDRNOTAVAIL); using 8080 instead' },
        https: { port: 443, host: '127.0.0.1' },
        offers: [],
      },
    ],
  ] as const)('%s', async (_name, platform, rules, expected) => {
    expect(await choosePorts({ wanted, platform, tryBind: machine(rules as Record<string, BindOutcome>) })).toEqual(expected);
  });

  it('wanted ports above 1024 that are busy do not offer the sysctl', async () => {
    const r = await choosePorts({ wanted: { http: 3000, https: 3443 }, platform: 'linux', tryBind: machine({ 3000: 'EACCES' }) });
    expect(r.offers).toEqual([]);
  });

  it('tries the wanted port first, on the configured host', async () => {
    const bind = machine({});
    await choosePorts({ wanted, platform: 'linux', tryBind: bind, host: '::1' });
    expect(bind.tried).toEqual(['80@::1', '443@::1']);
  });
});

describe('tryBind (real sockets)', () => {
  it('ok on a free port, EADDRINUSE on a taken one', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect(await tryBind(port, '127.0.0.1')).toBe('EADDRINUSE');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await tryBind(port, '127.0.0.1')).toBe('ok');
  });
});

describe('Linux unprivileged ports', () => {
  it('persists the setting under /etc/sysctl.d and applies it now, both elevated', () => {
    expect(unprivilegedPortsCommands('/tmp/p/50-portico.conf')).toEqual([
      { cmd: 'install', args: ['-D', '-m', '0644', '/tmp/p/50-portico.conf', '/etc/sysctl.d/50-portico.conf'], elevate: true },
      { cmd: 'sysctl', args: ['-w', 'net.ipv4.ip_unprivileged_port_start=80'], elevate: true },
    ]);
    expect(unprivilegedPortsCommands('/t', { sysctlDir: '/tmp/root/etc/sysctl.d', port: 443 })[1]?.args).toEqual([
      '-w',
      'net.ipv4.ip_unprivileged_port_start=443',
    ]);
    expect(sysctlFileText()).toMatch(/^# Written by Portico.*\nnet\.ipv4\.ip_unprivileged_port_start=80\n$/);
  });

  it('the offer carried out: one elevated batch, the staged file holding the setting', async () => {
    const seen: { lines: string[]; staged: string }[] = [];
    const runner: CommandRunner = {
      run: async () => ({ code: 1, stdout: '', stderr: 'not batched' }),
      display: (c) => c.cmd,
      async runElevatedBatch(commands) {
        const staged = commands[0]!.args[3]!;
        seen.push({ lines: commands.map((c) => [c.cmd, ...c.args].join(' ')), staged: await readFile(staged, 'utf8') });
        return { code: 0, stdout: '', stderr: '' };
      },
    };
    expect((await allowUnprivilegedPorts(runner, { sysctlDir: '/tmp/root/etc/sysctl.d' })).code).toBe(0);
    expect(seen).toEqual([
      {
        lines: [
          expect.stringMatching(/^install -D -m 0644 \S+\/50-portico\.conf \/tmp\/root\/etc\/sysctl\.d\/50-portico\.conf$/),
          'sysctl -w net.ipv4.ip_unprivileged_port_start=80',
        ],
        staged: sysctlFileText(),
      },
    ]);
  });

  it('reads the running value where there is one', async () => {
    const value = await readUnprivilegedPortStart();
    expect(value === undefined || (value >= 0 && value <= 65536)).toBe(true);
    expect(await readUnprivilegedPortStart('/nonexistent/proc/file')).toBeUndefined();
  });

  it.each([
    ['1024\n', 1024],
    ['80', 80],
    ['', undefined],
    [undefined, undefined],
    ['x', undefined],
  ])('reads /proc value %j', (text, value) => expect(parseUnprivilegedPortStart(text)).toBe(value));
});
