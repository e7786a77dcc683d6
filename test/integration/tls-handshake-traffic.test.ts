// A TLS handshake a client refuses shows in Traffic as a failed connection with the reason:
// an untrusted root ("unknown CA"), or a name no Portico certificate covers.
import { writeFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { openCertificates } from '../../proxy-core/tls/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { makeConfig } from '../helpers/engine.js';
import { openssl, removeDir, tempDataDir } from '../helpers/tls.js';

describe('failed TLS handshakes in Traffic', () => {
  it('a client that does not trust the root, and one asking for a name nothing covers, each show as a failed connection with the reason', async () => {
    const close = closeAfter();
    const dir = close(await tempDataDir(), removeDir);
    const config = makeConfig([{ host: 'app.localhost', target: 'http://127.0.0.1:9' }]);
    const certs = await openCertificates(dir, config.ca.suffixes);
    const store = new CaptureStore(CaptureSettingsSchema.parse({}));
    const engine = close(
      await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, https: { host: '127.0.0.1', port: 0, certificates: certs.store }, recorder: store }),
      (e) => e.close(100),
    );
    const port = engine.https!.port;
    // openssl sends the alert a browser sends when verification fails; the system bundle
    // stands for a browser's store without Portico's fresh root in it.
    const untrusted = await openssl(['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'app.localhost', '-verify_return_error', '-CAfile', '/etc/ssl/certs/ca-certificates.crt']);
    expect(untrusted.code).not.toBe(0);
    await vi.waitFor(() => expect(store.list()).toHaveLength(1));
    const [first] = store.list();
    expect(first).toMatchObject({ state: 'failed', method: 'TLS', host: 'app.localhost', marks: { portico: 'TLS handshake failed' } });
    expect(first!.error!.message).toContain("does not trust Portico's root CA");

    const caFile = `${dir}/ca.pem`;
    await writeFile(caFile, certs.ca.certPem);
    const wrongName = await openssl(['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'elsewhere.example', '-verify_hostname', 'elsewhere.example', '-verify_return_error', '-CAfile', caFile]);
    expect(wrongName.code).not.toBe(0);
    await vi.waitFor(() => expect(store.list()).toHaveLength(2));
    const second = store.list().find((e) => e.host === 'elsewhere.example');
    expect(second).toMatchObject({ state: 'failed', method: 'TLS' });
    expect(second!.error!.message).toContain('no Portico certificate covers that name');
  });
});
