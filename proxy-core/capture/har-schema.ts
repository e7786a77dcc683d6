// What HAR import needs from an entry, as zod schemas. Only the parts we use are required
// (HAR 1.2 requires more, but browsers and tools drop fields, and refusing a whole file over
// a missing `cookies` array would help nobody); unknown fields are ignored.
import { z } from 'zod';
import { ExchangeStateSchema } from '../contract/index.js';

// Some writers put numbers in header values; a header value is text either way.
const Text = z.union([z.string(), z.number().transform(String)]);
const NameValue = z.object({ name: z.string(), value: Text });

export const HarTimingsInSchema = z.object({
  blocked: z.number().optional(),
  dns: z.number().optional(),
  connect: z.number().optional(),
  send: z.number().optional(),
  wait: z.number().optional(),
  receive: z.number().optional(),
  ssl: z.number().optional(),
});

const WsMessageIn = z.object({
  type: z.enum(['send', 'receive']),
  time: z.number(),
  opcode: z.number().int(),
  data: z.string(),
  _size: z.number().int().nonnegative().optional(),
  _truncated: z.boolean().optional(),
});

const PorticoIn = z.object({
  id: z.string().optional(),
  client: z.string().optional(),
  state: ExchangeStateSchema.optional(),
  route: z.string().optional(),
  target: z.string().optional(),
  marks: z.record(z.string(), z.string()).optional(),
  truncated: z.object({ request: z.boolean().optional(), response: z.boolean().optional() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const HarEntryInSchema = z.object({
  startedDateTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date (ISO 8601 expected)'),
  time: z.number().optional(),
  request: z.object({
    method: z.string().min(1),
    url: z.string().min(1),
    httpVersion: z.string().optional(),
    headers: z.array(NameValue),
    bodySize: z.number().optional(),
    postData: z
      .object({
        mimeType: z.string().optional(),
        text: z.string().optional(),
        _encoding: z.string().optional(),
      })
      .optional(),
  }),
  response: z.object({
    status: z.number().int().min(0),
    headers: z.array(NameValue),
    bodySize: z.number().optional(),
    content: z
      .object({
        size: z.number().optional(),
        compression: z.number().optional(),
        mimeType: z.string().optional(),
        text: z.string().optional(),
        encoding: z.string().optional(),
      })
      .optional(),
    // Chrome writes null when there was no error.
    _error: z.string().nullish(),
  }),
  timings: HarTimingsInSchema.optional(),
  _resourceType: z.string().optional(),
  _webSocketMessages: z.array(WsMessageIn).optional(),
  _portico: PorticoIn.optional(),
});

export const HarDocumentInSchema = z.object({
  log: z.object({ entries: z.array(z.unknown()) }),
});

export type HarEntryIn = z.infer<typeof HarEntryInSchema>;

/** Zod's default for a missing field is "expected string, received undefined": say it plainly. */
export function harIssueMessage(issue: { code: string; input?: unknown }): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;
}
