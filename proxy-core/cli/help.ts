// Help texts. Kept apart from the commands so `portico help serve` and
// `portico serve --help` print the same words.
import { defaultDataDir } from '../config/index.js';
import { ROUTE_FLAG_EXAMPLE } from './route-flag.js';

export const COMMANDS = ['serve', 'ca', 'help'] as const;

export function mainHelp(): string {
  return `portico — a local development reverse proxy: dev hostnames for your local servers

Usage:
  portico serve [options]   Run the proxy in this terminal until Ctrl+C
  portico ca export|info    Print the local root certificate, or describe it
  portico help [command]    Show help for a command
  portico --version         Print the version

Example:
  portico serve --http-port 8080 --route ${ROUTE_FLAG_EXAMPLE}
  curl http://app.localhost:8080/

Run 'portico help serve' for every serve option.
`;
}

export function serveHelp(): string {
  return `Usage: portico serve [options]

Runs the proxy in the foreground. Each route maps a dev host name to a local server;
*.localhost names reach this machine in every browser with no setup.

Options:
  --config FILE        Config file (default: <data dir>/config.json; missing means defaults)
  --data-dir DIR       Data directory (default: ${defaultDataDir()};
                       the PORTICO_DATA_DIR environment variable sets it too)
  --http-port N        HTTP port, instead of the config's http.port (0 picks a free port)
  --https-port N       HTTPS port (HTTP/2 + HTTP/1.1), instead of the config's https.port
  --control-port N     Control server port (accepted; the control server arrives in a later version)
  --route HOST=URL     Add a route for this run only, on top of the config's routes;
                       repeat for more. Also HOST/PATH=URL for a path prefix and
                       HOST=URL,URL for several targets. Never written to the config.
  -h, --help           Show this help

Examples:
  portico serve --http-port 8080 --route ${ROUTE_FLAG_EXAMPLE}
  portico serve --http-port 0 --route shop.localhost=http://127.0.0.1:3000 \\
                --route shop.localhost/api=http://127.0.0.1:4000

Ctrl+C (or SIGTERM) stops accepting connections and lets requests in flight finish
for up to 5 seconds; a second Ctrl+C quits at once.
`;
}

export function caHelp(): string {
  return `Usage: portico ca export [--data-dir DIR] [--config FILE]
       portico ca info   [--data-dir DIR] [--config FILE] [--json]

export  Prints the root certificate (PEM) that signs every dev host's certificate, e.g.
        portico ca export > portico-ca.pem
        curl --cacert portico-ca.pem https://app.localhost:8443/
        NODE_EXTRA_CA_CERTS=portico-ca.pem node app.js
info    Shows its subject, SHA-256 fingerprint, validity, the names it may sign
        (ca.suffixes in the config, plus 127.0.0.0/8 and ::1) and where its files are.

The root is created on first use in the data directory (default: ${defaultDataDir()}).
`;
}
