// The WebSocket frame reader: hand-built frames fed whole, byte by byte and split at every
// boundary must give the same messages; garbage stops it quietly; memory stays bounded.
import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import { FrameReader, type FrameMessage, type FrameProtocolError } from '../../proxy-core/capture/ws-frames.js';

interface FrameSpec {
  payload?: Buffer | string;
  opcode: number;
  fin?: boolean;
  rsv?: number;
  /** A 4-byte key masks the payload, as clients must. */
  mask?: Buffer;
  /** Force a length encoding (non-minimal encodings are legal for our reader). */
  lenBits?: 7 | 16 | 64;
}

/** Builds one frame by hand, independently of the reader under test. */
function frame({ payload = '', opcode, fin = true, rsv = 0, mask, lenBits }: FrameSpec): Buffer {
  const data = Buffer.from(payload);
  const bits = lenBits ?? (data.length < 126 ? 7 : data.length < 65536 ? 16 : 64);
  const head = Buffer.alloc(2 + (bits === 16 ? 2 : bits === 64 ? 8 : 0));
  head[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  head[1] = (mask ? 0x80 : 0) | (bits === 7 ? data.length : bits === 16 ? 126 : 127);
  if (bits === 16) head.writeUInt16BE(data.length, 2);
  if (bits === 64) head.writeBigUInt64BE(BigInt(data.length), 2);
  if (!mask) return Buffer.concat([head, data]);
  const masked = Buffer.from(data.map((b, i) => b ^ mask[i & 3]!));
  return Buffer.concat([head, mask, masked]);
}

// ws exports its Sender at runtime but @types/ws does not declare it.
interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

const KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
const text = (s: string) => Buffer.from(s).toString();
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
const close = (code: number, reason: string) => {
  const b = Buffer.alloc(2 + Buffer.byteLength(reason));
  b.writeUInt16BE(code, 0);
  b.write(reason, 2);
  return b;
};

function run(chunks: Buffer[], previewLimit = 64) {
  const messages: FrameMessage[] = [];
  const errors: FrameProtocolError[] = [];
  const reader = new FrameReader({ previewLimit, onMessage: (m) => messages.push(m), onError: (e) => errors.push(e) });
  for (const chunk of chunks) reader.push(chunk);
  return { messages, errors, reader };
}

/** Every way to cut a stream in two, plus byte by byte; returns the distinct outcomes. */
function splitEverywhere(stream: Buffer, previewLimit?: number) {
  const points = stream.length <= 2048 ? [...Array(stream.length + 1).keys()] : edgePoints(stream.length);
  const outcomes = points.map((k) => run([stream.subarray(0, k), stream.subarray(k)], previewLimit));
  if (stream.length <= 2048)
    outcomes.push(
      run(
        [...stream].map((b) => Buffer.from([b])),
        previewLimit,
      ),
    );
  return outcomes.map(({ messages, errors }) => JSON.stringify({ messages, errors: errors.map((e) => e.message) }));
}

function edgePoints(n: number): number[] {
  const near = [...Array(40).keys()];
  return [...near, ...near.map((k) => n - k), ...Array.from({ length: 40 }, (_, i) => Math.floor((n * i) / 40))];
}

const long = 'x'.repeat(300);
const big = Buffer.alloc(70_000, 7);

const cases: { name: string; frames: Buffer[]; previewLimit?: number; expected: FrameMessage[] }[] = [
  { name: 'short text', frames: [frame({ opcode: 1, payload: 'hello' })], expected: [{ opcode: 'text', size: 5, preview: 'hello', previewTruncated: false }] },
  {
    name: 'masked text with multi-byte characters',
    frames: [frame({ opcode: 1, payload: 'héllo ✓ 🎉', mask: KEY })],
    expected: [{ opcode: 'text', size: Buffer.byteLength('héllo ✓ 🎉'), preview: 'héllo ✓ 🎉', previewTruncated: false }],
  },
  {
    name: 'binary, 7-bit length',
    frames: [frame({ opcode: 2, payload: Buffer.from([0, 1, 254, 255]) })],
    expected: [{ opcode: 'binary', size: 4, preview: b64(Buffer.from([0, 1, 254, 255])), previewTruncated: false }],
  },
  {
    name: 'masked 16-bit length, preview cut at the limit',
    frames: [frame({ opcode: 1, payload: long, mask: KEY })],
    expected: [{ opcode: 'text', size: 300, preview: 'x'.repeat(64), previewTruncated: true }],
  },
  {
    name: '64-bit length (70 000 bytes), masked',
    frames: [frame({ opcode: 2, payload: big, mask: KEY })],
    previewLimit: 10,
    expected: [{ opcode: 'binary', size: 70_000, preview: b64(big.subarray(0, 10)), previewTruncated: true }],
  },
  {
    name: 'non-minimal 64-bit length for a short payload',
    frames: [frame({ opcode: 1, payload: 'hi', lenBits: 64, mask: KEY }), frame({ opcode: 1, payload: 'yo', lenBits: 16 })],
    expected: [
      { opcode: 'text', size: 2, preview: 'hi', previewTruncated: false },
      { opcode: 'text', size: 2, preview: 'yo', previewTruncated: false },
    ],
  },
  {
    name: 'fragmented text, a character split across fragments, ping and pong interleaved',
    frames: [
      frame({ opcode: 1, fin: false, payload: Buffer.from('ab€').subarray(0, 3), mask: KEY }),
      frame({ opcode: 9, payload: 'p1', mask: KEY }),
      frame({ opcode: 0, fin: false, payload: Buffer.from('ab€').subarray(3), mask: KEY }),
      frame({ opcode: 10, payload: '', mask: KEY }),
      frame({ opcode: 0, fin: true, payload: 'cd', mask: KEY }),
    ],
    expected: [
      { opcode: 'ping', size: 2, preview: b64('p1'), previewTruncated: false },
      { opcode: 'pong', size: 0, preview: '', previewTruncated: false },
      { opcode: 'text', size: 7, preview: 'ab€cd', previewTruncated: false },
    ],
  },
  {
    name: 'fragmented binary larger than the preview, with an empty final fragment',
    frames: [
      frame({ opcode: 2, fin: false, payload: Buffer.alloc(5, 1) }),
      frame({ opcode: 0, fin: false, payload: Buffer.alloc(5, 2) }),
      frame({ opcode: 0, fin: true }),
    ],
    previewLimit: 7,
    expected: [{ opcode: 'binary', size: 10, preview: b64(Buffer.from([1, 1, 1, 1, 1, 2, 2])), previewTruncated: true }],
  },
  {
    name: 'truncated text drops a half character instead of showing U+FFFD',
    frames: [frame({ opcode: 1, payload: 'aa€€' })],
    previewLimit: 4,
    expected: [{ opcode: 'text', size: 8, preview: 'aa', previewTruncated: true }],
  },
  {
    name: 'close with code and reason, empty close, close reason cut',
    frames: [
      frame({ opcode: 8, payload: close(1000, 'bye now'), mask: KEY }),
      frame({ opcode: 8 }),
      frame({ opcode: 8, payload: close(4001, 'a long reason') }),
    ],
    previewLimit: 6,
    expected: [
      { opcode: 'close', size: 9, preview: 'bye no', previewTruncated: true, closeCode: 1000 },
      { opcode: 'close', size: 0, preview: '', previewTruncated: false },
      { opcode: 'close', size: 15, preview: 'a long', previewTruncated: true, closeCode: 4001 },
    ],
  },
  {
    name: 'permessage-deflate: RSV1 marks the message compressed, raw bytes in base64',
    frames: [frame({ opcode: 1, rsv: 4, fin: false, payload: Buffer.from([0xf2, 0x48]) }), frame({ opcode: 0, payload: Buffer.from([0xcd, 0xc9, 0x00]) })],
    expected: [{ opcode: 'text', size: 5, preview: b64(Buffer.from([0xf2, 0x48, 0xcd, 0xc9, 0x00])), previewTruncated: false, compressed: true }],
  },
  {
    name: 'empty text and preview limit zero',
    frames: [frame({ opcode: 1 }), frame({ opcode: 2, payload: 'abc' })],
    previewLimit: 0,
    expected: [
      { opcode: 'text', size: 0, preview: '', previewTruncated: false },
      { opcode: 'binary', size: 3, preview: '', previewTruncated: true },
    ],
  },
];

describe('FrameReader', () => {
  it.each(cases)('$name — same messages however the stream is cut', ({ frames, previewLimit, expected }) => {
    const stream = Buffer.concat(frames);
    expect(run([stream], previewLimit)).toMatchObject({ messages: expected, errors: [] });
    const outcomes = new Set(splitEverywhere(stream, previewLimit));
    expect([...outcomes]).toEqual([JSON.stringify({ messages: expected, errors: [] })]);
  });

  it('reads every case back to back in one stream', () => {
    const stream = Buffer.concat(cases.filter((c) => c.previewLimit === undefined).flatMap((c) => c.frames));
    const expected = cases.filter((c) => c.previewLimit === undefined).flatMap((c) => c.expected);
    expect(new Set(splitEverywhere(stream))).toEqual(new Set([JSON.stringify({ messages: expected, errors: [] })]));
  });

  it('agrees with frames built by the ws package (masked, 7/16/64-bit)', () => {
    const build = (data: Buffer | string, opcode: number) =>
      Buffer.concat(Sender.frame(Buffer.from(data), { fin: true, opcode, mask: true, readOnly: false, rsv1: false }));
    const payloads = ['hi', 'y'.repeat(200), 'z'.repeat(66_000)];
    const { messages, errors } = run(
      payloads.map((p) => build(p, 1)),
      1 << 20,
    );
    expect(errors).toEqual([]);
    expect(messages).toEqual(payloads.map((p) => ({ opcode: 'text', size: p.length, preview: text(p), previewTruncated: false })));
  });

  it.each([
    ['reserved opcode', frame({ opcode: 3, payload: 'x' }), 'reserved opcode 3'],
    ['RSV2 set', frame({ opcode: 1, rsv: 2, payload: 'x' }), 'RSV2/RSV3 bits set'],
    ['continuation with nothing to continue', frame({ opcode: 0, payload: 'x' }), 'continuation frame without a message to continue'],
    ['fragmented ping', frame({ opcode: 9, fin: false }), 'fragmented ping frame'],
    ['control frame over 125 bytes', frame({ opcode: 10, payload: long }), 'pong frame longer than 125 bytes'],
    ['RSV1 on a control frame', frame({ opcode: 9, rsv: 4 }), 'RSV1 set on a ping frame'],
    [
      'new message inside a fragmented one',
      Buffer.concat([frame({ opcode: 1, fin: false }), frame({ opcode: 2 })]),
      'new binary message before the previous one finished',
    ],
    ['64-bit length with the top bit set', Buffer.from([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]), '64-bit payload length out of range'],
    ['an HTTP request instead of frames', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'reserved opcode 7'],
  ])('%s: reports once, stops, never throws', (_name, bad, message) => {
    const good = frame({ opcode: 1, payload: 'before' });
    const { messages, errors, reader } = run([good, bad, frame({ opcode: 1, payload: 'after' })]);
    expect(messages.map((m) => m.preview)).toEqual(['before']);
    expect(errors.map((e) => e.message)).toEqual([message]);
    // The offset points at the offending frame: after `good`, or after the unfinished fragment.
    expect(errors[0]!.offset).toBe(good.length + (message.startsWith('new') ? 2 : 0));
    expect(reader.failed).toBe(true);
    reader.push(bad);
    expect(errors).toHaveLength(1);
  });

  it('survives random garbage: no throw, at most one error', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    for (let round = 0; round < 500; round++) {
      const chunks = Array.from({ length: 4 }, () => Buffer.from(Array.from({ length: rand() }, rand)));
      let errors = 0;
      const reader = new FrameReader({ previewLimit: 16, onMessage: () => {}, onError: () => errors++ });
      expect(() => chunks.forEach((c) => reader.push(c))).not.toThrow();
      expect(errors).toBeLessThanOrEqual(1);
      expect(reader.bufferedBytes).toBeLessThanOrEqual(16 + 14 + 125);
    }
  });

  it('turns an exception from onMessage into one onError, never a throw into the proxy', () => {
    const errors: Error[] = [];
    const reader = new FrameReader({
      previewLimit: 8,
      onMessage: () => {
        throw new Error('store full');
      },
      onError: (e) => errors.push(e),
    });
    expect(() => reader.push(Buffer.concat([frame({ opcode: 1, payload: 'a' }), frame({ opcode: 1, payload: 'b' })]))).not.toThrow();
    expect(errors.map((e) => e.message)).toEqual(['capture callback failed: store full']);
  });

  it('passes a 100 MB frame with O(previewLimit) memory, fast', () => {
    const size = 100 * 2 ** 20;
    const limit = 1024;
    const head = frame({ opcode: 2, payload: Buffer.alloc(0), lenBits: 64, mask: KEY });
    head.writeBigUInt64BE(BigInt(size), 2);
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    const messages: FrameMessage[] = [];
    const reader = new FrameReader({ previewLimit: limit, onMessage: (m) => messages.push(m) });
    let peak = 0;
    const started = performance.now();
    reader.push(head);
    for (let sent = 0; sent < size; sent += chunk.length) {
      reader.push(chunk);
      peak = Math.max(peak, reader.bufferedBytes);
    }
    const elapsed = performance.now() - started;
    expect(peak).toBeLessThanOrEqual(limit + 14);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ opcode: 'binary', size, previewTruncated: true });
    const preview = Buffer.from(messages[0]!.preview, 'base64');
    expect(preview).toEqual(Buffer.from(chunk.subarray(0, limit).map((b, i) => b ^ KEY[i & 3]!)));
    expect(elapsed).toBeLessThan(2000);
  });

  it('keeps a long fragmented message with interleaved pings within previewLimit + 14 + 125', () => {
    const limit = 100;
    const reader = new FrameReader({ previewLimit: limit, onMessage: () => {} });
    let peak = 0;
    const fragment = Buffer.alloc(1000, 1);
    for (let i = 0; i < 200; i++) {
      const opcode = i === 0 ? 1 : 0;
      const bytes = Buffer.concat([frame({ opcode, fin: false, payload: fragment, mask: KEY }), frame({ opcode: 9, payload: 'x'.repeat(125) })]);
      for (let at = 0; at < bytes.length; at += 97) {
        reader.push(bytes.subarray(at, at + 97));
        peak = Math.max(peak, reader.bufferedBytes);
      }
    }
    expect(peak).toBeLessThanOrEqual(limit + 14 + 125);
    expect(reader.failed).toBe(false);
  });
});
