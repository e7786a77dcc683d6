// Trust stores behind one interface (status / install / uninstall), the runners that
// carry out their commands (and elevate), and the doctor that checks them all.
export type { Command, CommandRunner, RunResult, StoreGroup, StoreStatus, TrustRoot, TrustState, TrustStore } from './types.js';
export { batchScript, commandLine, failureLine, quotePosix, quoteWindows, runPlan, shellFlavor } from '../system/command-plans.js';
export { cliElevation, cliRunner, defaultCliElevation, onPath, spawnCommand, sudoPromptRunner, type Elevation } from '../system/runners.js';
export { readTrustRoot, trustRootFromPem, bundleHolds } from './root.js';
export { certutilHint, distroFamily, parseOsRelease, systemLayout, type DistroFamily } from './linux-distro.js';
export { linuxSystemStore } from './linux-system.js';
export { findNssDbs, certutilDb, type NssDb } from './nss-discovery.js';
export { nssStore, parseCertutilList } from './nss.js';
export { macosKeychainStore, parseVerifyCert, parseFindCertificate, SYSTEM_KEYCHAIN } from './macos.js';
export { windowsRootStore, parseVerifyStore } from './windows.js';
export { nodeExtraCaLine, nodeClientsStatus } from './node-clients.js';
export { defaultTrustEnvironment, readOsRelease, selectStores, trustStores, type TrustEnvironment } from './stores.js';
export { diagnose, type DoctorReport, type BrowserVerdict, type StoreReport } from './doctor.js';
export { handshakeCheck, checkHost } from './handshake.js';
