// The desktop app's wire: the preload's `window.portico`, one method per command. IPC does
// not drop, so the state is always open.
import type { CommandName, CommandReply, PorticoBridge } from '../../../proxy-core/contract/index.js';
import type { Transport } from './transport.js';

export function ipcTransport(bridge: PorticoBridge): Transport {
  return {
    state: 'open',
    call(name: CommandName, input: unknown): Promise<CommandReply> {
      // The bridge's methods are typed per command; the client has already typed `input`.
      const method = bridge[name] as (input?: unknown) => Promise<CommandReply>;
      return method(input);
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onState: () => () => {},
  };
}
