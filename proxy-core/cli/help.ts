// Help texts. Kept apart from the commands so `portico help serve` and
// `portico serve --help` print the same words.
// Only light imports here: `portico run --help` must print before Node has loaded much.
import { defaultDataDir } from '../config/paths.js';

export const ROUTE_FLAG_EXAMPLE = 'app.localhost=http://127.0.0.1:3000';

export const COMMANDS = ['run', 'serve', 'ui', 'stop', 'status', 'list', 'ca', 'trust', 'untrust', 'doctor', 'hosts', 'passwd', 'help'] as const;

/** The help text for `portico help TOPIC` (the main help without one); undefined for an unknown topic. */
export function helpFor(topic: string | undefined): string | undefined {
  const texts: Record<string, () => string> = {
    run: runHelp,
    serve: serveHelp,
    ui: uiHelp,
    stop: stopHelp,
    status: statusHelp,
    list: statusHelp,
    ca: caHelp,
    trust: trustHelp,
    untrust: trustHelp,
    doctor: doctorHelp,
    hosts: hostsHelp,
    passwd: passwdHelp,
    help: mainHelp,
  };
  return topic === undefined ? mainHelp() : texts[topic]?.();
}

export function mainHelp(): string {
  return `portico — a local development reverse proxy: dev hostnames for your local servers

Usage:
  portico run [--name N] [CMD…]  Run a dev server on a free port, reachable as https://N.localhost
  portico serve [options]   Run the proxy in this terminal until Ctrl+C
  portico ui [--open]       Print (or open) the address of the running serve's browser UI
  portico stop              Stop the Portico that 'portico run' started in the background
  portico status            Listeners and routes of the running Portico (also: portico list)
  portico ca export|info    Print the local root certificate, or describe it
  portico trust [--only …]  Trust the root CA in the system and browser stores
  portico untrust [...]     Take it out again
  portico doctor            Check every trust store, a real handshake, the hosts file
  portico hosts …           Manage Portico's block in the hosts file (for *.test names)
  portico passwd HOST USER  Set a password for a route's HTTP Basic auth (stored hashed)
  portico help [command]    Show help for a command
  portico --version         Print the version

Example:
  portico serve --http-port 8080 --route ${ROUTE_FLAG_EXAMPLE}
  curl http://app.localhost:8080/

  cd my-app && portico run        # runs the dev script: https://my-app.localhost

Run 'portico help run' and 'portico help serve' for every option.
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
  --control-port N     Control server port on 127.0.0.1: the browser UI and the API (default:
                       a free one; recorded in <data dir>/control.json for 'portico run'
                       and 'portico ui'); the banner prints the UI address with its token
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

export function uiHelp(): string {
  return `Usage: portico ui [--open] [--data-dir DIR]

Prints the address of the browser UI that a running 'portico serve' serves (see its help),
with its access token, for a new tab or a lost bookmark:
  http://127.0.0.1:17600/?token=…

Options:
  --open          Open it in the default browser too
  --data-dir DIR  Data directory of that serve (default: ${defaultDataDir()})

The token is the file control-token in the data directory; scripts send it as
Authorization: Bearer <token>.
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

export function trustHelp(): string {
  return `Usage: portico trust   [--only STORE[,STORE]] [--dry-run] [--data-dir DIR] [--config FILE]
       portico untrust [--only STORE[,STORE]] [--dry-run] [--data-dir DIR] [--config FILE]

trust    Adds Portico's root CA to every trust store found: the system store (macOS
         System keychain, Windows current-user Root store, Linux anchors + bundle) and
         the NSS databases of Chrome/Chromium and each Firefox profile under $HOME.
untrust  Removes it (and roots retired by an earlier ca.suffixes change).

Every command is printed before it runs; commands that need administrator rights run
through sudo (or pkexec) unless you are root.

Options:
  --only STORE   system, nss, or a store id such as nss-chrome or nss-firefox (every
                 Firefox profile); repeat or separate with commas
  --dry-run      Print the commands and run nothing that changes anything
  --data-dir DIR Data directory holding the root CA (default: ${defaultDataDir()})
  --config FILE  Config file (for ca.suffixes)

NSS databases are found under $HOME, so HOME=/tmp/x portico trust --only nss trusts the
root in /tmp/x/.pki/nssdb. Node.js reads none of these stores: use NODE_EXTRA_CA_CERTS.
'portico doctor' shows where the root is trusted.
`;
}

export function doctorHelp(): string {
  return `Usage: portico doctor [--json] [--data-dir DIR] [--config FILE] [--hosts-file FILE]

Checks that Portico's HTTPS is trusted, and how to fix what is not:
  - every trust store found: trusted, not trusted, or not present
  - a real TLS handshake to a Portico host, verified against the system trust
  - whether Chrome/Chromium and Firefox would trust it (from their NSS databases on Linux)
  - NODE_EXTRA_CA_CERTS for Node-based tools
  - route hosts outside .localhost that the hosts file does not list

Exits 1 when something needs fixing; --json prints the same as JSON.
`;
}

export function hostsHelp(): string {
  return `Usage: portico hosts [show]                 List the names in Portico's block
       portico hosts add NAME...             Add names (127.0.0.1 and ::1)
       portico hosts remove NAME...          Remove names
       portico hosts sync [--localhost]      Make the block hold exactly the config's route
                                             hosts outside .localhost (with --localhost, those too)
       portico hosts clear                   Remove the block

Options: --file FILE (default: the system hosts file), --dry-run, --data-dir DIR, --config FILE

*.localhost names need no entry in Chrome, Firefox and Edge. Other names (shop.test) do.
Portico owns one block, "# BEGIN portico" … "# END portico"; nothing outside it changes.
Before the first change the file is copied to <file>.portico-backup. When the file is not
writable the new text is staged in a temp file and copied in with sudo (one prompt).
`;
}

export function passwdHelp(): string {
  return `Usage: portico passwd [--config FILE] [--data-dir DIR] [--path PREFIX] HOST USER
       portico passwd --delete [--config FILE] [--data-dir DIR] [--path PREFIX] HOST USER

Sets USER's password for the route whose host is HOST, switching HTTP Basic auth on for
it; the config keeps only a scrypt hash. On a terminal the password is asked twice with
no echo; otherwise the first line of stdin is the password:
  printf '%s\\n' "$PASSWORD" | portico passwd shop.localhost ada

Options:
  --path PREFIX  Which route, when HOST has several (their pathPrefix)
  --delete       Remove USER instead (auth stays on: with no users left, nobody gets in)
  --config FILE  Config file (default: <data dir>/config.json)
  --data-dir DIR Data directory (default: ${defaultDataDir()})

A running Portico applies the change at once. The app sets passwords too (Routes view).
`;
}

export function runHelp(): string {
  return `Usage: portico run [--name NAME] [--force] [--data-dir DIR] [--] CMD [ARGS…]
       portico run [--name NAME] [--force] [--data-dir DIR]

Runs CMD on a free loopback port and routes NAME.localhost to it for as long as it runs.
Without CMD, runs the project's "dev" script with its package manager (npm, pnpm, yarn
or bun, from the lockfile); with a portico.json listing "apps", runs each of them.

The child gets PORT (the free port), HOST=127.0.0.1, PORTICO_URL (its https URL) and
NODE_EXTRA_CA_CERTS (Portico's root, so its own fetch() trusts *.localhost). Servers that
ignore PORT (Vite and Astro, SvelteKit, React Router dev; ng serve; webpack-dev-server;
Nuxt; Remix; Gatsby; Docusaurus) get --port/--host flags instead.

NAME: --name, else package.json's "portico" key ("shop" or {"name": "shop", "script":
"dev"}), else portico.json's "name", else the package name without its scope, else the
folder name; made a valid DNS label. In a git worktree on a branch other than the default
one, the branch is put in front: BRANCH.NAME.localhost.

Options:
  --name NAME      The host name (without .localhost); may have dots (api.shop)
  --force          Take NAME over from another running process
  --data-dir DIR   Data directory of the Portico to use (default: ${defaultDataDir()})
  -h, --help       Show this help

The route is not written to the config: it goes when the command exits, crashes or
'portico run' is killed. When no Portico runs for the data dir, 'portico run' starts
'portico serve' in the background (log: <data dir>/serve.log); 'portico stop' stops it.
Ctrl+C and SIGTERM go to the command's whole process tree; a second Ctrl+C kills it.
'portico run' exits with the command's exit code.
`;
}

export function stopHelp(): string {
  return `Usage: portico stop [--data-dir DIR]

Stops the 'portico serve' running for the data directory (the one 'portico run' starts
in the background, or one started by hand). The desktop app is quit from its own menu.
`;
}

export function statusHelp(): string {
  return `Usage: portico status [--data-dir DIR] [--json]
       portico list   [--data-dir DIR] [--json]

Shows the running Portico's listeners and every route; routes of 'portico run' are
marked with their process id and command. Exits 1 when no Portico runs.
`;
}
