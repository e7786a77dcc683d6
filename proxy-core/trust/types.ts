// The shapes of trust stores and the root they install. Commands and their runners are
// shared with the hosts-file manager and the port helper, in ../system/.

import type { Command, RunResult } from '../system/command-plans.js';

export type { Command, CommandRunner, RunResult } from '../system/command-plans.js';

export type TrustState = 'trusted' | 'not trusted' | 'not present' | 'unknown';

export interface StoreStatus {
  state: TrustState;
  /** One line on what was found, e.g. "in /etc/ssl/certs/ca-certificates.crt". */
  detail?: string;
  /** The exact thing to do about a state that is not 'trusted', e.g. the install command. */
  fix?: string;
}

/** The root certificate as the stores need it: a file to hand to commands, facts to match. */
export interface TrustRoot {
  file: string;
  pem: string;
  /** "AB:CD:…" as Node prints it. */
  sha1: string;
  sha256: string;
  /** Hex, upper case, no separators. */
  serial: string;
  /** Common name, e.g. "Portico Development CA". */
  commonName: string;
  /** A name unique to this root, for stores that key by name (NSS) or file (Linux anchors). */
  nickname: string;
}

/** Families of stores, for `--only`: one word selects every store of that kind. */
export type StoreGroup = 'system' | 'nss';

export interface TrustStore {
  /** Stable and unique among the stores found, e.g. "system", "nss-chrome", "nss-firefox-abcd.default". */
  id: string;
  group: StoreGroup;
  /** For people: "Chrome/Chromium (~/.pki/nssdb)". */
  label: string;
  /** Is this store on this machine at all? */
  detect(): Promise<boolean>;
  status(root: TrustRoot): Promise<StoreStatus>;
  /** The commands `install` runs, in order: shown before anything runs. */
  installCommands(root: TrustRoot): Command[];
  uninstallCommands(root: TrustRoot): Command[];
  install(root: TrustRoot): Promise<RunResult>;
  uninstall(root: TrustRoot): Promise<RunResult>;
}
