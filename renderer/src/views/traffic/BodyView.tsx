// Shows a captured body the way its type asks: JSON as a tree, images as images, HTML/CSS/JS
// highlighted, other text as text, anything else as a hex dump. Decoded bytes are shown when the body was encoded.
import { useMemo, useState } from 'react';
import type { CapturedBody } from '../../../../proxy-core/contract/index.js';
import { base64ToBytes, hexDump, looksLikeText, utf8 } from '../../lib/bytes.js';
import { HighlightedText, languageFor } from './HighlightedText.js';
import { JsonTree } from './JsonTree.js';

/** Above this, JSON is shown as indented text: a tree of that size is slow to open. */
const TREE_LIMIT = 256 * 1024;

type Shown =
  | { kind: 'empty' }
  | { kind: 'image'; src: string }
  | { kind: 'json'; value: unknown; text: string }
  | { kind: 'text'; text: string; language?: 'xml' | 'css' | 'javascript' | undefined }
  | { kind: 'hex'; dump: string; size: number };

function classify(body: CapturedBody): Shown {
  const b64 = body.decoded ?? body.raw;
  if (b64 === '') return { kind: 'empty' };
  const mime = (body.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (/^image\/(png|jpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|svg\+xml)$/.test(mime) && !body.truncated) {
    return { kind: 'image', src: `data:${mime};base64,${b64}` };
  }
  const bytes = base64ToBytes(b64);
  const text = utf8(bytes);
  if (text === undefined || !looksLikeText(text)) return { kind: 'hex', dump: hexDump(bytes), size: bytes.length };
  if (mime.endsWith('json') || /^\s*[[{]/.test(text)) {
    try {
      return { kind: 'json', value: JSON.parse(text), text };
    } catch {
      // A truncated or broken JSON body: show it as text.
    }
  }
  return { kind: 'text', text, language: languageFor(mime) };
}

export function BodyView({ body }: { body: CapturedBody }) {
  const shown = useMemo(() => classify(body), [body]);
  const [raw, setRaw] = useState(false);
  switch (shown.kind) {
    case 'empty':
      return <p className="muted">No body.</p>;
    case 'image':
      return <img className="body-image" src={shown.src} alt="Response body (image)" />;
    case 'hex':
      return (
        <>
          {shown.size > 64 * 1024 && <p className="muted">Binary: the first 64 KiB as hex.</p>}
          <pre className="body-pre hex">{shown.dump}</pre>
        </>
      );
    case 'text':
      return shown.language ? <HighlightedText text={shown.text} language={shown.language} /> : <pre className="body-pre">{shown.text}</pre>;
    case 'json':
      return (
        <>
          <label className="row-flex small-label">
            <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw
          </label>
          {raw ? (
            <pre className="body-pre">{shown.text}</pre>
          ) : shown.text.length > TREE_LIMIT ? (
            <pre className="body-pre">{JSON.stringify(shown.value, null, 2)}</pre>
          ) : (
            <JsonTree value={shown.value} />
          )}
        </>
      );
  }
}
