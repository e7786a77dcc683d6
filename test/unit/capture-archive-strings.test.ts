// The archive's string tables keep repeated header names and values once, stop growing at
// their ceiling, and never take the values that change on every exchange; whatever does
// not go into a table is written out in full and still reads back exactly.
import { describe, expect, it } from 'vitest';
import { HeaderStrings, LITERAL, StringTable } from '../../proxy-core/capture/archive/header-strings.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema, type Exchange } from '../../proxy-core/contract/index.js';

describe('the archive string tables', () => {
  it('number a string once, and stop at the ceiling and the length limit', () => {
    const table = new StringTable(3, 10);
    expect([table.numberOf('a'), table.numberOf('b'), table.numberOf('a')]).toEqual([0, 1, 0]);
    expect(table.numberOf('x'.repeat(11))).toBe(LITERAL);
    expect(table.numberOf('c')).toBe(2);
    expect(table.numberOf('d')).toBe(LITERAL);
    expect(table.stringOf(1)).toBe('b');
  });

  it('keep dates, lengths and validators out of the value table', () => {
    const strings = new HeaderStrings();
    expect(strings.valueNumber('Date', 'Fri, 04 Dec 2026 18:03:07 GMT')).toBe(LITERAL);
    expect(strings.valueNumber('ETag', '"abc"')).toBe(LITERAL);
    expect(strings.valueNumber('content-type', 'text/html')).toBe(0);
  });

  it('read back thousands of distinct, long and non-ASCII headers exactly', () => {
    const store = new CaptureStore(CaptureSettingsSchema.parse({}), undefined, { archiveEveryMs: Infinity });
    const exchange = (i: number): Omit<Exchange, 'id'> => ({
      kind: 'http',
      startedAt: 1_700_000_000_000 + i,
      timings: { end: 1.5 },
      state: 'done',
      client: '127.0.0.1',
      scheme: 'http',
      httpVersion: '1.1',
      method: 'GET',
      host: 'app.localhost',
      url: `/${i}/ünï ☃`,
      status: 200,
      requestHeaders: Array.from(
        { length: 40 },
        (_, j) => [`x-name-${i}-${j}-${'n'.repeat(j * 3)}`, `välue ${i} ${j} ${'v'.repeat(j * 10)}`] as [string, string],
      ),
      responseHeaders: [['content-type', 'text/plain; charset=utf-8']],
      request: { size: 0, captured: 0, truncated: false },
      response: { size: 0, captured: 0, truncated: false },
      marks: { '🔖': 'ü'.repeat(300) },
      messageCount: 0,
    });
    const originals = Array.from({ length: 300 }, (_, i) => exchange(i));
    for (const x of originals) store.importExchange({ exchange: x });
    expect(store.archiveFinished()).toBe(300);
    const read = store.list();
    expect(read.map(({ id: _id, ...rest }) => rest)).toEqual(originals.map((x) => ({ ...x, marks: { ...x.marks, imported: 'HAR' } })));
  });
});
