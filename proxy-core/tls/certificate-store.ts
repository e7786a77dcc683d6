// Leaf certificates on demand, for the HTTPS listener's SNI callback: from memory when we
// have one, else from disk, else freshly issued — once per host however many handshakes
// ask at the same moment — and renewed before they expire.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import writeFileAtomic from 'write-file-atomic';
import { needsRenewal, parseStoredLeaf, type Leaf } from './stored-leaf.js';
import type { CertificateSource } from '../engine/index.js';
import type { RootCa } from './root-ca.js';

export interface CertificateStoreOptions {
  ca: RootCa;
  /** Where leaves are kept between runs, e.g. <data-dir>/certs. */
  dir: string;
  /** Where the default (no-SNI) certificate is kept between runs; without it, issued per start. */
  defaultFile?: string;
  /** Injected for renewal tests. */
  now?: () => Date;
  log?: (line: string) => void;
}

interface Entry {
  context: tls.SecureContext;
  notAfter: Date;
}

/** For clients that send no SNI (https://127.0.0.1/): localhost and the loopback addresses. */
const issueDefault = (ca: RootCa, now?: Date) => issueLeaf(ca, 'localhost', now, ['127.0.0.1', '::1']);

/** The signer is loaded on the first signature, not at start-up. */
const issueLeaf = async (...args: Parameters<typeof import('./leaf.js').issueLeaf>) => (await import('./leaf.js')).issueLeaf(...args);

/** Issues the default certificate and, when it has a home, keeps it there (0600, atomic). */
async function issueAndStoreDefault(options: CertificateStoreOptions, now: Date): Promise<Leaf> {
  const leaf = await issueDefault(options.ca, now);
  if (options.defaultFile) await writeFileAtomic(options.defaultFile, leaf.keyPem + leaf.certPem, { mode: 0o600 });
  return leaf;
}

/**
 * The stored default certificate when the current root signed it and it is not due, else
 * a fresh one: signing costs a key pair and loading the X.509 writer, which every start
 * would otherwise pay before its first request.
 */
async function loadOrIssueDefault(options: CertificateStoreOptions): Promise<Leaf> {
  const now = options.now?.() ?? new Date();
  if (options.defaultFile) {
    const stored = await readFile(options.defaultFile, 'utf8')
      .then(
        (pem) => parseStoredLeaf(pem, options.ca),
        () => undefined, // missing or unreadable: issue a fresh one
      )
      .catch(() => undefined); // not a certificate at all
    if (stored && !needsRenewal(stored.notAfter, now)) return stored;
  }
  return issueAndStoreDefault(options, now);
}

/** A name we can put in a file name and a certificate: plain DNS labels only. */
const SAFE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export class CertificateStore implements CertificateSource {
  defaultCertificate: { cert: string; key: string };
  private defaultNotAfter: Date;
  private defaultRenewal: Promise<void> | undefined;
  private readonly defaultListeners = new Set<(certificate: { cert: string; key: string }) => void>();
  private readonly memory = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  private readonly now: () => Date;
  /** How many host leaves this store has signed (not loaded; not the default): for tests and the bench. */
  issued = 0;

  private constructor(
    private readonly options: CertificateStoreOptions,
    fallback: Leaf,
  ) {
    this.now = options.now ?? (() => new Date());
    this.defaultCertificate = { cert: fallback.certPem, key: fallback.keyPem };
    this.defaultNotAfter = fallback.notAfter;
  }

  static async open(options: CertificateStoreOptions): Promise<CertificateStore> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const fallback = await loadOrIssueDefault(options);
    return new CertificateStore(options, fallback);
  }

  /**
   * Called on every new HTTPS connection: when the default certificate is due, a new one
   * is issued in the background and handed to the listeners (the server swaps it in).
   * Clients without SNI are rare, so they may get the old one once more meanwhile.
   */
  refreshDefaultIfDue(): void {
    if (this.defaultRenewal || !needsRenewal(this.defaultNotAfter, this.now())) return;
    this.defaultRenewal = issueAndStoreDefault(this.options, this.now())
      .then((leaf) => {
        this.defaultCertificate = { cert: leaf.certPem, key: leaf.keyPem };
        this.defaultNotAfter = leaf.notAfter;
        for (const listener of this.defaultListeners) listener(this.defaultCertificate);
      })
      .catch((error: Error) => this.options.log?.(`renewing the default certificate failed: ${error.message}`))
      .finally(() => (this.defaultRenewal = undefined));
  }

  onDefaultCertificate(listener: (certificate: { cert: string; key: string }) => void): () => void {
    this.defaultListeners.add(listener);
    return () => this.defaultListeners.delete(listener);
  }

  /** Is `host` one the root may vouch for (its suffixes)? */
  covers(host: string): boolean {
    return this.options.ca.suffixes.some((s) => host === s || host.endsWith(`.${s}`));
  }

  readonly sniCallback = (servername: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void): void => {
    const host = servername.toLowerCase().replace(/\.$/, '');
    // Outside our suffixes the root cannot sign; the default certificate makes the
    // client say "not valid for this name", which is the truth.
    if (!SAFE_NAME.test(host) || !this.covers(host)) return cb(null, undefined);
    const hit = this.memory.get(host);
    if (hit && !needsRenewal(hit.notAfter, this.now())) return cb(null, hit.context);
    this.contextFor(host).then(
      (entry) => cb(null, entry.context),
      (error: Error) => {
        this.options.log?.(`certificate for ${host} failed: ${error.message}`);
        cb(error);
      },
    );
  };

  /** The entry for `host`, issuing at most once however many callers ask at once. */
  contextFor(host: string): Promise<Entry> {
    let promise = this.pending.get(host);
    if (!promise) {
      promise = this.load(host).finally(() => this.pending.delete(host));
      this.pending.set(host, promise);
    }
    return promise;
  }

  private file(host: string): string {
    return path.join(this.options.dir, `${host}.pem`);
  }

  private async load(host: string): Promise<Entry> {
    const now = this.now();
    let leaf = await this.readStored(host);
    if (!leaf || needsRenewal(leaf.notAfter, now)) {
      leaf = await issueLeaf(this.options.ca, host, now);
      this.issued++;
      // The key is private: 0600, and atomic so a crash never leaves half a key.
      await writeFileAtomic(this.file(host), leaf.keyPem + leaf.certPem, { mode: 0o600 });
    }
    const entry = { context: tls.createSecureContext({ cert: leaf.certPem, key: leaf.keyPem }), notAfter: leaf.notAfter };
    this.memory.set(host, entry);
    return entry;
  }

  private async readStored(host: string): Promise<Leaf | undefined> {
    try {
      return parseStoredLeaf(await readFile(this.file(host), 'utf8'), this.options.ca);
    } catch {
      return undefined; // missing or unreadable: issue a fresh one
    }
  }
}
