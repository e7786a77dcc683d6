// How the engine reports an exchange to whoever records traffic. A tiny interface the
// capture store implements; the engine knows nothing of stores, bodies or events.
// With no recorder, or one that is not active, a request costs one property check.

export interface TapStart {
  kind: 'http' | 'websocket';
  startedAt: number;
  client: string;
  scheme: 'http' | 'https';
  httpVersion: string;
  method: string;
  host: string;
  url: string;
  /** Node's flat [name, value, …] list, referenced, not copied. */
  rawHeaders: readonly string[];
}

/**
 * A head as Portico wrote it: a flat [name, value, …] list, or an HTTP/1 head exactly as
 * Node serialized it ("GET / HTTP/1.1\r\nname: value\r\n…"), kept as one string and parsed
 * only when someone looks at it.
 */
export type SentHead = readonly string[] | string;

export interface ExchangeTap {
  /** The recorded exchange's id (what the inspector lists it by). */
  readonly id?: string;
  routed(route: string, target: string): void;
  /** The route's throttle latency is over: the request goes on to the cache or backend. */
  throttled?(): void;
  /** The upstream connection is open (or a pooled one was reused). */
  connected(): void;
  requestData(chunk: Buffer): void;
  responseHead(status: number, rawHeaders: readonly string[]): void;
  responseData(chunk: Buffer): void;
  /** The request head as Portico sent it on to the backend (after its own edits). */
  backendRequestHead?(head: SentHead): void;
  /** The response head as the client got it (Portico's own headers in, hop-by-hop out on HTTP/2). */
  clientResponseHead?(head: SentHead): void;
  /** Labels for the inspector: "refused", "cache", "encoding"… */
  mark(key: string, value: string): void;
  /** Raw bytes of an upgraded WebSocket, each direction as it flows. */
  wsClientData(chunk: Buffer): void;
  wsServerData(chunk: Buffer): void;
  /**
   * An open WebSocket ended normally; `firstGone` is the side whose socket went first. The
   * record names who closed from the first close frame when there was one.
   */
  wsClosed?(firstGone: 'client' | 'server'): void;
  failed(code: string, message: string): void;
  finished(): void;
}

export interface Recorder {
  /** False while capture is off or paused: the engine then skips even building TapStart. */
  readonly active: boolean;
  /** A tap for this exchange, or undefined when it is not to be recorded (filtered). */
  begin(start: TapStart): ExchangeTap | undefined;
}
