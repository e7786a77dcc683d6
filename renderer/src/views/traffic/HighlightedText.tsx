// HTML, CSS and JavaScript bodies with syntax colours. highlight.js escapes the text and
// returns only <span class="hljs-…"> markup, so the result is safe to insert; colours come
// from classes (no inline styles, which the page's CSP forbids).
import hljs from 'highlight.js/lib/core';
import css from 'highlight.js/lib/languages/css';
import javascript from 'highlight.js/lib/languages/javascript';
import xml from 'highlight.js/lib/languages/xml';
import { useMemo } from 'react';

hljs.registerLanguage('xml', xml);
hljs.registerLanguage('css', css);
hljs.registerLanguage('javascript', javascript);

/** Highlighting a huge bundle would stall the pane; past this it is plain text. */
const HIGHLIGHT_LIMIT = 300 * 1024;

/** The highlight.js language for a content type, if we colour it. */
export function languageFor(mime: string): 'xml' | 'css' | 'javascript' | undefined {
  if (mime === 'text/html' || mime === 'application/xhtml+xml' || mime.endsWith('/xml') || mime === 'image/svg+xml') return 'xml';
  if (mime === 'text/css') return 'css';
  if (/(java|ecma)script$/.test(mime)) return 'javascript';
  return undefined;
}

export function HighlightedText({ text, language }: { text: string; language: 'xml' | 'css' | 'javascript' }) {
  const html = useMemo(() => (text.length > HIGHLIGHT_LIMIT ? undefined : hljs.highlight(text, { language, ignoreIllegals: true }).value), [text, language]);
  if (html === undefined) return <pre className="body-pre">{text}</pre>;
  return <pre className="body-pre hljs" data-language={language} dangerouslySetInnerHTML={{ __html: html }} />;
}
