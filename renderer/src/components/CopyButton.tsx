// A copy button that confirms in place ("Copied") without moving anything around it.
import { useState } from 'react';
import { copyText } from '../lib/clipboard.js';
import { useStore } from '../store/store.js';

export function CopyButton({ text, label = 'Copy', title }: { text: string | (() => Promise<string> | string); label?: string; title?: string }) {
  const [done, setDone] = useState(false);
  const toast = useStore((s) => s.toast);
  const copy = async () => {
    try {
      await copyText(typeof text === 'string' ? text : await text());
      setDone(true);
      setTimeout(() => setDone(false), 1200);
    } catch (error) {
      toast({ text: `Could not copy: ${(error as Error).message}`, tone: 'error' });
    }
  };
  return (
    <button type="button" className="btn small copy-btn" title={title} aria-label={title} onClick={() => void copy()}>
      {done ? 'Copied' : label}
    </button>
  );
}
