// The shapes every trust store, the hosts-file manager and the port helper share: a
// command is data first, so the user (or `--dry-run`) can read it before anything runs,
// and a runner decides how to run it — and how to elevate, which differs per front door.

/** One program invocation. `elevate`: it writes where only root / an admin may. */
export interface Command {
  cmd: string;
  args: string[];
  elevate: boolean;
  /** A failure here is expected sometimes (e.g. deleting what is already gone): carry on. */
  mayFail?: boolean;
}

export interface RunResult {
  /** Exit code; 127 when the program does not exist, as a shell would say. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandRunner {
  run(cmd: string, args: readonly string[], options: { elevate: boolean }): Promise<RunResult>;
  /**
   * Runs several elevated commands under ONE elevation (one password dialog), stopping at
   * the first failure. Runners whose elevation is cached (sudo) may leave it out.
   */
  runElevatedBatch?(commands: readonly Command[]): Promise<RunResult>;
  /** What the user will see for `command`: `sudo …` when this runner would add it. */
  display(command: Command): string;
}

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
