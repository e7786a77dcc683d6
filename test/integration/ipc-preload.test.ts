// The preload, run for real: electron/preload.cts compiled as tsc compiles it (CommonJS)
// and evaluated in a fresh context whose `require('electron')` is a fake contextBridge +
// ipcRenderer. Checks what the page gets on `window.portico`: exactly one method per
// contract command on its own channel, onEvent, version — and nothing to invoke freely.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL, commandChannel } from '../../proxy-core/contract/index.js';
import { COMMAND_NAMES } from '../../proxy-core/contract/index.js';

const SOURCE = fileURLToPath(new URL('../../electron/preload.cts', import.meta.url));

type Listener = (event: unknown, ...args: unknown[]) => void;

interface Loaded {
  exposed: Map<string, Record<string, unknown>>;
  invokes: { channel: string; args: unknown[] }[];
  listeners: Map<string, Set<Listener>>;
  required: string[];
}

function loadPreload(argv: string[] = []): Loaded {
  const { outputText } = ts.transpileModule(readFileSync(SOURCE, 'utf8'), {
    fileName: 'preload.cts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: false },
  });
  const loaded: Loaded = { exposed: new Map(), invokes: [], listeners: new Map(), required: [] };
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: Record<string, unknown>) {
        if (loaded.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
        loaded.exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke(channel: string, ...args: unknown[]) {
        loaded.invokes.push({ channel, args });
        return Promise.resolve({ ok: true, result: null });
      },
      on(channel: string, listener: Listener) {
        const set = loaded.listeners.get(channel) ?? new Set();
        set.add(listener);
        loaded.listeners.set(channel, set);
      },
      removeListener(channel: string, listener: Listener) {
        loaded.listeners.get(channel)?.delete(listener);
      },
    },
  };
  // A sandboxed preload's require knows 'electron' and a handful of built-ins, no files.
  const require = (id: string) => {
    loaded.required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id} (a sandboxed preload cannot load it)`);
  };
  const module = { exports: {} };
  vm.runInNewContext(outputText, { require, module, exports: module.exports, process: { argv: ['electron', ...argv] } }, { filename: SOURCE });
  return loaded;
}

let preload: Loaded;
let portico: Record<string, unknown>;

beforeEach(() => {
  preload = loadPreload(['--type=renderer', '--portico-version=1.2.3']);
  portico = preload.exposed.get('portico')!;
});

describe('window.portico', () => {
  it('is the only thing exposed, and the preload requires nothing but electron', () => {
    expect([...preload.exposed.keys()]).toEqual(['portico']);
    expect(preload.required).toEqual(['electron']);
  });

  it('has exactly one method per contract command, plus onEvent and version', () => {
    expect(Object.keys(portico).sort()).toEqual([...COMMAND_NAMES, 'onEvent', 'version'].sort());
    for (const name of COMMAND_NAMES) expect(typeof portico[name], name).toBe('function');
    // No way to reach an arbitrary channel.
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'call']) expect(portico).not.toHaveProperty(generic);
  });

  it('sends each command on its own channel with exactly one argument', async () => {
    for (const name of COMMAND_NAMES) {
      const method = portico[name] as (...args: unknown[]) => Promise<unknown>;
      await expect(method({ probe: name }, 'extra', 'arguments')).resolves.toEqual({ ok: true, result: null });
    }
    expect(preload.invokes).toEqual(COMMAND_NAMES.map((name) => ({ channel: commandChannel(name), args: [{ probe: name }] })));
    expect(preload.invokes.every((i) => i.channel.startsWith(COMMAND_CHANNEL_PREFIX))).toBe(true);
  });

  it('passes the version from the argv main gives it', () => {
    expect(portico['version']).toBe('1.2.3');
    expect(loadPreload().exposed.get('portico')!['version']).toBe('');
  });
});

describe('onEvent', () => {
  const emit = (message: unknown) => {
    for (const listener of preload.listeners.get(EVENT_CHANNEL) ?? []) listener({ sender: 'the ipcRenderer event' }, message);
  };

  it('hands the page the message alone, never the IpcRendererEvent', () => {
    const got: unknown[][] = [];
    (portico['onEvent'] as (l: (...args: unknown[]) => void) => () => void)((...args) => got.push(args));
    emit({ event: 'traffic.cleared', data: {} });
    expect(got).toEqual([[{ event: 'traffic.cleared', data: {} }]]);
  });

  it('returns an unsubscribe function that stops delivery', () => {
    const got: unknown[] = [];
    const off = (portico['onEvent'] as (l: (m: unknown) => void) => () => void)((m) => got.push(m));
    emit(1);
    off();
    emit(2);
    expect(got).toEqual([1]);
    expect(preload.listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => (portico['onEvent'] as (l: unknown) => void)('nope')).toThrow(/needs a function/); // (a TypeError of the preload's own realm)
  });

  it('listens on the channel the adapter sends on', () => {
    (portico['onEvent'] as (l: () => void) => void)(() => {});
    expect([...preload.listeners.keys()]).toEqual([EVENT_CHANNEL]);
  });
});
