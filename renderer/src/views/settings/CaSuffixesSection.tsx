// The names Portico's CA may sign for (settings.ca.suffixes): where a user adds "dev" when
// a route on shop.dev is refused. Says what a change costs before it is made: a new root at
// the next start (the old one retired, to be untrusted) and trust to give again; and which
// suffixes browsers force onto HTTPS (HSTS preload).
import type { FormEvent } from 'react';
import { CaSchema, hstsPreloaded, type Settings } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { SectionFooter, useSavedDraft, useSectionSave } from './section-parts.js';

const words = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export function CaSuffixesSection({ ca }: { ca: Settings['ca'] }) {
  const [draft, setDraft] = useSavedDraft(ca, (saved) => saved.suffixes.join(', '));
  const { problems, setProblems, run } = useSectionSave();
  const preloaded = words(draft).map((s) => s.replace(/^\*?\./, '')).filter(hstsPreloaded);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const checked = CaSchema.safeParse({ suffixes: words(draft) });
    if (!checked.success) return setProblems(checked.error.issues.map((i) => `Suffixes ${i.message}`));
    await run(() => client.call('settings.set', { ca: checked.data }), 'CA names saved: restart Portico to make the new root');
  };

  return (
    <section className="section" aria-labelledby="ca-suffixes-title">
      <h2 id="ca-suffixes-title">Certificate names</h2>
      <form onSubmit={(e) => void save(e)} className="field">
        <label htmlFor="ca-suffixes">Suffixes the local CA may sign for</label>
        <input id="ca-suffixes" className="input" spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} aria-describedby="ca-suffixes-hint" />
        <div id="ca-suffixes-hint" className="hint">
          <p>
            Separated by commas, e.g. <code>localhost, test, dev</code>. A route&apos;s host must end in one of them (loopback addresses always
            work). The root is name-constrained to this list, so a leaked key cannot sign for any other name.
          </p>
          <p>
            Changing the list makes a new root when Portico next starts: the old one moves to <code>ca/retired</code> (<code>portico untrust</code>{' '}
            removes it from trust stores too), and the new one needs trusting again (Certificates → Trust).
          </p>
          {preloaded.length > 0 && (
            <p className="warn" role="note">
              {preloaded.map((s) => `.${s}`).join(', ')} {preloaded.length === 1 ? 'is' : 'are'} HSTS-preloaded: browsers open these names over HTTPS
              only, so they work only once the new root is trusted.
            </p>
          )}
        </div>
        <SectionFooter problems={problems} saveLabel="Save CA names" />
      </form>
    </section>
  );
}
