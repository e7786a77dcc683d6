// Loads a .har file into the capture store (traffic.importHar): the imported exchanges
// stream into the list like live ones.
import { useRef } from 'react';
import { client } from '../../api/client.js';
import { useStore } from '../../store/store.js';

export function ImportHarButton() {
  const input = useRef<HTMLInputElement>(null);
  const toast = useStore((s) => s.toast);
  const load = async (file: File) => {
    try {
      const { imported } = await client.call('traffic.importHar', JSON.parse(await file.text()));
      toast({ text: `Imported ${imported} ${imported === 1 ? 'request' : 'requests'} from ${file.name}` });
    } catch (error) {
      toast({ text: `Could not import ${file.name}: ${(error as Error).message}`, tone: 'error' });
    }
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".har,application/json"
        className="offscreen"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void load(file);
        }}
      />
      <button type="button" className="btn small" onClick={() => input.current?.click()}>
        Import HAR
      </button>
    </>
  );
}
