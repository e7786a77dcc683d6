// The contract compiles with lib ES2023 only (no Node, no DOM) so that it runs anywhere.
// WHATWG URL exists in every runtime it runs on (Node, browsers, Electron) but is in
// neither lib, so the part the contract uses is declared here. Not emitted: consumers
// get URL from their own DOM or Node types.
interface URL {
  readonly href: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  readonly origin: string;
  toString(): string;
}

// eslint-disable-next-line no-var -- a global value declaration must be `var`, as in lib.dom.d.ts
declare var URL: {
  prototype: URL;
  new (url: string, base?: string | URL): URL;
  canParse(url: string, base?: string | URL): boolean;
};
