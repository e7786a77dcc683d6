// Choosing the listen ports, and Linux's one-time switch for 80/443.
export {
  choosePorts,
  FALLBACKS,
  type BindOutcome,
  type ChoosePortsOptions,
  type PortChoice,
  type PortOffer,
  type PortsChoice,
  type TryBind,
} from './choose.js';
export { tryBind } from './bind-probe.js';
export {
  allowUnprivilegedPorts,
  parseUnprivilegedPortStart,
  readUnprivilegedPortStart,
  sysctlFileText,
  SYSCTL_FILE_NAME,
  UNPRIVILEGED_PORT_KEY,
  unprivilegedPortsCommands,
} from './sysctl.js';
