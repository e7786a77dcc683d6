// The certificate store behind the SNI callback: one issuance however many handshakes ask
// at once, renewal driven by an injected clock, leaves reused from disk only when the
// current root signed them, and nothing issued for names outside the suffixes.
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { openCertificates, RENEW_BEFORE_DAYS, LEAF_DAYS, type CertificateStore } from '../../proxy-core/tls/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { DAY, handshake, handshakeError, openssl, removeDir, tempDataDir } from '../helpers/tls.js';

/** A bare TLS server wired to the store exactly as the HTTPS listener wires it. */
async function serveStore(store: CertificateStore): Promise<{ port: number; close(): Promise<void> }> {
  const server = tls.createServer({ ...store.defaultCertificate, SNICallback: store.sniCallback }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const leafFile = (dir: string, host: string) => path.join(dir, 'certs', `${host}.pem`);
const certOf = async (file: string) => new X509Certificate(await readFile(file, 'utf8'));

describe('certificate store', () => {
  const track = closeAfter('each');

  it('issues one certificate for 20 simultaneous first handshakes to a new host', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const { ca, store } = await openCertificates(dir, ['localhost', 'test']);
    const server = track(await serveStore(store));
    expect(store.issued).toBe(0);

    const results = await Promise.all(Array.from({ length: 20 }, () => handshake(server.port, { ca: ca.certPem, servername: 'burst.localhost' })));
    expect(store.issued).toBe(1);
    expect(new Set(results.map((r) => r.peer.fingerprint256)).size).toBe(1);
    expect(results.every((r) => r.authorized)).toBe(true);
    // One file, no temp files left behind by the atomic write.
    expect(await readdir(path.join(dir, 'certs'))).toEqual(['burst.localhost.pem']);
    expect((await certOf(leafFile(dir, 'burst.localhost'))).fingerprint256).toBe(results[0]!.peer.fingerprint256);

    // Later handshakes come from memory.
    await handshake(server.port, { ca: ca.certPem, servername: 'burst.localhost' });
    expect(store.issued).toBe(1);
  });

  it('dedupes concurrent contextFor calls for one host, and issues separately per host', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const { store } = await openCertificates(dir, ['localhost', 'test']);
    const entries = await Promise.all(Array.from({ length: 20 }, () => store.contextFor('one.test')));
    expect(new Set(entries).size).toBe(1);
    expect(store.issued).toBe(1);
    await Promise.all([store.contextFor('two.test'), store.contextFor('three.test'), store.contextFor('two.test')]);
    expect(store.issued).toBe(3);
    expect((await readdir(path.join(dir, 'certs'))).sort()).toEqual(['one.test.pem', 'three.test.pem', 'two.test.pem']);
  });

  it("treats SNI case-insensitively: App.Localhost shares app.localhost's certificate", async () => {
    const dir = track(await tempDataDir(), removeDir);
    const { ca, store } = await openCertificates(dir, ['localhost', 'test']);
    const server = track(await serveStore(store));
    const lower = await handshake(server.port, { ca: ca.certPem, servername: 'app.localhost' });
    const mixed = await handshake(server.port, { ca: ca.certPem, servername: 'App.Localhost' });
    expect(mixed.peer.fingerprint256).toBe(lower.peer.fingerprint256);
    expect(store.issued).toBe(1);
  });

  describe('renewal with an injected clock', () => {
    // Start 61 days in the past, so every certificate is also valid on the real clock
    // the TLS client checks against: the first leaf ends 29 days from now.
    const start = new Date(Date.now() - 61 * DAY);

    it('serves the same leaf 10 days on, and a fresh one once less than 30 days are left', async () => {
      expect({ LEAF_DAYS, RENEW_BEFORE_DAYS }).toEqual({ LEAF_DAYS: 90, RENEW_BEFORE_DAYS: 30 });
      const dir = track(await tempDataDir(), removeDir);
      let clock = start;
      const { ca, store } = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
      const server = track(await serveStore(store));
      const connect = () => handshake(server.port, { ca: ca.certPem, servername: 'renew.localhost' });

      const first = await connect();
      expect(store.issued).toBe(1);
      expect(Date.parse(first.peer.valid_to)).toBeCloseTo(start.getTime() + 90 * DAY, -4);

      clock = new Date(start.getTime() + 10 * DAY);
      const tenDaysOn = await connect();
      expect(tenDaysOn.peer.fingerprint256).toBe(first.peer.fingerprint256);
      expect(store.issued).toBe(1);

      clock = new Date(start.getTime() + 61 * DAY); // 29 days left: renew
      const renewed = await connect();
      expect(store.issued).toBe(2);
      expect(renewed.peer.fingerprint256).not.toBe(first.peer.fingerprint256);
      expect(Date.parse(renewed.peer.valid_to)).toBeGreaterThan(Date.parse(first.peer.valid_to));
      expect(Date.parse(renewed.peer.valid_to)).toBeCloseTo(clock.getTime() + 90 * DAY, -4);
      expect(renewed.authorized).toBe(true);
      // The renewed leaf replaced the old one on disk.
      expect((await certOf(leafFile(dir, 'renew.localhost'))).fingerprint256).toBe(renewed.peer.fingerprint256);

      // ...and is served from then on.
      expect((await connect()).peer.fingerprint256).toBe(renewed.peer.fingerprint256);
      expect(store.issued).toBe(2);
    });

    it('renews through contextFor as well, at the 30-day mark', async () => {
      const dir = track(await tempDataDir(), removeDir);
      let clock = start;
      const { store } = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
      const first = await store.contextFor('api.test');
      expect(first.notAfter.getTime()).toBeCloseTo(start.getTime() + 90 * DAY, -4);

      // Certificates hold whole seconds, so step a second either side of the mark.
      clock = new Date(start.getTime() + 60 * DAY - 1_000); // 30 days and a second left: fine
      expect((await store.contextFor('api.test')).notAfter.getTime()).toBeCloseTo(first.notAfter.getTime(), -4);
      expect(store.issued).toBe(1);

      clock = new Date(start.getTime() + 60 * DAY + 1_000);
      const renewed = await store.contextFor('api.test');
      expect(store.issued).toBe(2);
      expect(renewed.notAfter.getTime()).toBeCloseTo(clock.getTime() + 90 * DAY, -4);
    });

    it('renews a leaf found on disk that is close to expiry', async () => {
      const dir = track(await tempDataDir(), removeDir);
      let clock = start;
      await (await openCertificates(dir, ['localhost', 'test'], { now: () => clock })).store.contextFor('old.localhost');
      const before = await certOf(leafFile(dir, 'old.localhost'));

      clock = new Date(start.getTime() + 61 * DAY);
      const { store } = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
      await store.contextFor('old.localhost');
      expect(store.issued).toBe(1);
      const after = await certOf(leafFile(dir, 'old.localhost'));
      expect(after.fingerprint256).not.toBe(before.fingerprint256);
      expect(Date.parse(after.validTo)).toBeGreaterThan(Date.parse(before.validTo));
    });
  });

  it('reuses leaves from disk in a new store on the same data dir', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    await first.store.contextFor('keep.localhost');
    expect(first.store.issued).toBe(1);
    const onDisk = await certOf(leafFile(dir, 'keep.localhost'));

    const second = await openCertificates(dir, ['localhost', 'test']);
    expect(second.created).toBeUndefined();
    const server = track(await serveStore(second.store));
    const served = await handshake(server.port, { ca: second.ca.certPem, servername: 'keep.localhost' });
    expect(second.store.issued).toBe(0);
    expect(served.peer.fingerprint256).toBe(onDisk.fingerprint256);
  });

  it('does not reuse a leaf signed by the previous root after a rotation', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    await first.store.contextFor('app.localhost');
    const old = await certOf(leafFile(dir, 'app.localhost'));

    const rotated = await openCertificates(dir, ['localhost', 'test', 'internal']);
    expect(rotated.created).toBe('suffixes changed');
    const server = track(await serveStore(rotated.store));
    // Trusting only the new root: the old leaf would fail this handshake.
    const served = await handshake(server.port, { ca: rotated.ca.certPem, servername: 'app.localhost' });
    expect(rotated.store.issued).toBe(1);
    expect(served.peer.fingerprint256).not.toBe(old.fingerprint256);
    const verify = await openssl(['verify', '-CAfile', path.join(dir, 'ca', 'root.pem'), leafFile(dir, 'app.localhost')]);
    expect(verify.code).toBe(0);
    // The new suffix is served too.
    await handshake(server.port, { ca: rotated.ca.certPem, servername: 'db.corp.internal' });
    expect(rotated.store.issued).toBe(2);
  });

  it('replaces an unreadable leaf file instead of failing the handshake', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    await first.store.contextFor('broken.localhost');
    await writeFile(leafFile(dir, 'broken.localhost'), 'not a certificate\n');

    const second = await openCertificates(dir, ['localhost', 'test']);
    const server = track(await serveStore(second.store));
    const served = await handshake(server.port, { ca: second.ca.certPem, servername: 'broken.localhost' });
    expect(served.authorized).toBe(true);
    expect(second.store.issued).toBe(1);
  });

  describe('names it will not sign', () => {
    it('answers an out-of-scope SNI with the default certificate (so the client reports a name mismatch) and issues nothing', async () => {
      const dir = track(await tempDataDir(), removeDir);
      const { ca, store } = await openCertificates(dir, ['localhost', 'test']);
      const server = track(await serveStore(store));
      expect(store.covers('bank.com')).toBe(false);
      const error = await handshakeError(server.port, { ca: ca.certPem, servername: 'bank.com' });
      expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      const lax = await handshake(server.port, { ca: ca.certPem, servername: 'bank.com', rejectUnauthorized: false });
      expect(lax.peer.subject.CN).toBe('localhost');
      expect(store.issued).toBe(0);
      expect(await readdir(path.join(dir, 'certs'))).toEqual([]);
    });

    it('never turns a strange SNI into a file name', async () => {
      const dir = track(await tempDataDir(), removeDir);
      const { ca, store } = await openCertificates(dir, ['localhost', 'test']);
      const server = track(await serveStore(store));
      for (const servername of ['../../evil.localhost', 'a/b.localhost', 'under_score.localhost', '-x.localhost']) {
        await handshake(server.port, { ca: ca.certPem, servername, rejectUnauthorized: false }).catch(() => undefined);
      }
      expect(store.issued).toBe(0);
      expect(await readdir(path.join(dir, 'certs'))).toEqual([]);
      expect((await readdir(dir)).sort()).toEqual(['ca', 'certs']);
    });

    it('covers exactly the suffixes and the names under them', async () => {
      const dir = track(await tempDataDir(), removeDir);
      const { store } = await openCertificates(dir, ['localhost', 'test']);
      expect(['localhost', 'a.localhost', 'a.b.test', 'test'].map((h) => store.covers(h))).toEqual([true, true, true, true]);
      expect(['localhost.com', 'evillocalhost', 'a.testing', 'bank.com'].map((h) => store.covers(h))).toEqual([false, false, false, false]);
    });
  });
});
