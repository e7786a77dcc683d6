// @peculiar/x509 with Node's WebCrypto as its provider. Imported only where something is
// signed or described (lazily from the rest), since loading it is a large part of a start.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
