// The LAN access token: what another device must show to use a shared route. Made once
// per data dir and kept in `<data dir>/lan-token` (mode 0600), like the control token,
// so links and QR codes already handed out keep working across restarts; never in the
// config file, which people copy and commit. Delete the file to revoke every device.
import path from 'node:path';
import { loadOrCreateSecretToken } from '../config/secret-token.js';

export const lanTokenFile = (dataDir: string): string => path.join(dataDir, 'lan-token');

export const loadOrCreateLanToken = (dataDir: string): Promise<string> => loadOrCreateSecretToken(lanTokenFile(dataDir));
