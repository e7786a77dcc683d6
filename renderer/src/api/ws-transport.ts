// The headless wire: the control server's WebSocket at /ws?token=…, messages
// {id, method, params} → {id, ok, result|error}, and {event, data} pushed at any time.
// It reconnects with capped exponential backoff; commands sent while it is down wait for
// the next connection instead of failing, and ones in flight when it drops fail.
import type { CommandName, CommandReply, EventMessage, WireMessage } from '../../../proxy-core/contract/index.js';
import type { ConnectionState, Transport } from './transport.js';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

type Pending = { resolve: (reply: CommandReply) => void; text: string };

export function wsTransport(url: string): Transport {
  let socket: WebSocket | undefined;
  let state: ConnectionState = 'connecting';
  let delay = FIRST_DELAY_MS;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const waiting: number[] = []; // ids not yet sent (socket down)
  const eventListeners = new Set<(message: EventMessage) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = FIRST_DELAY_MS;
      setState('open');
      for (const id of waiting.splice(0)) {
        const call = pending.get(id);
        if (call) ws.send(call.text);
      }
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as WireMessage;
      if ('event' in message) {
        for (const listener of eventListeners) listener(message as EventMessage);
        return;
      }
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      const { id: _id, ...reply } = message;
      call.resolve(reply);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      // A reply to a command in flight is lost with the socket: say so rather than hang.
      for (const [id, call] of pending) {
        if (waiting.includes(id)) continue;
        pending.delete(id);
        call.resolve({ ok: false, error: { message: 'the connection to Portico dropped; try again' } });
      }
      setState('retrying');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    };
    // onerror is always followed by onclose, which does the work.
    ws.onerror = () => {};
  };
  connect();

  return {
    get state() {
      return state;
    },
    call(name: CommandName, input: unknown): Promise<CommandReply> {
      const id = nextId++;
      const text = JSON.stringify({ id, method: name, params: input });
      return new Promise((resolve) => {
        pending.set(id, { resolve, text });
        if (socket?.readyState === WebSocket.OPEN) socket.send(text);
        else waiting.push(id);
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}
