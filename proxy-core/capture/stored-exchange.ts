// What the service reads of a stored exchange, whether it is still in flight (a live
// ExchangeRecord on the heap) or finished and archived (bytes in a slab, decoded on demand).
import type { BodyInfo, BodyPart, Exchange, ExchangeSummary, WsMessage } from '../contract/index.js';

export interface StoredExchange {
  readonly id: string;
  /** The whole exchange, header lists included (built on every call). */
  snapshot(): Exchange;
  /** What the list shows (built on every call). */
  summary(): ExchangeSummary;
  /** WebSocket messages kept. */
  readonly messages: readonly WsMessage[];
  /** The captured bytes of one body (at most the body limit). */
  bodyBytes(part: BodyPart): Buffer;
  bodyInfo(part: BodyPart): BodyInfo;
  /** First value of a header: the request as the client sent it, the response as the backend answered. */
  header(part: BodyPart, name: string): string | undefined;
}
