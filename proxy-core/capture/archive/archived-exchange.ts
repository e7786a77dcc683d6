// A finished exchange read back from the archive: a view of its bytes that decodes only
// the part asked for.
import type { BodyInfo, BodyPart, Exchange, ExchangeSummary, WsMessage } from '../../contract/index.js';
import type { StoredExchange } from '../stored-exchange.js';
import { decodeBody, decodeExchange, decodeHeaders, decodeMessages, decodeSummary } from './codec.js';
import type { HeaderStrings } from './header-strings.js';

export class ArchivedExchange implements StoredExchange {
  constructor(
    readonly id: string,
    private readonly bytes: Buffer,
    private readonly strings: HeaderStrings,
  ) {}

  snapshot(): Exchange {
    return decodeExchange(this.bytes, this.id, this.strings);
  }

  summary(): ExchangeSummary {
    return decodeSummary(this.bytes, this.id);
  }

  get messages(): readonly WsMessage[] {
    return decodeMessages(this.bytes);
  }

  bodyBytes(part: BodyPart): Buffer {
    return decodeBody(this.bytes, part);
  }

  bodyInfo(part: BodyPart): BodyInfo {
    return this.summary()[part];
  }

  header(part: BodyPart, name: string): string | undefined {
    const pairs = decodeHeaders(this.bytes, this.strings)[part] ?? [];
    return pairs.find(([n]) => n.toLowerCase() === name)?.[1];
  }
}
