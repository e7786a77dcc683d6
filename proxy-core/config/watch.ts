// Live edits: a change to the config file is applied by swapping the
// routing table, so open connections and HMR WebSockets stay up.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Editors often write a file in two or three steps; wait for them to finish. */
const SETTLE_MS = 150;

/**
 * Calls `onChange` after the file settles following any change. The folder is watched,
 * not the file: an atomic save renames a new file over the old one, and a watch on the
 * old file would go deaf after the first save. Returns a function that stops watching.
 */
export function watchConfigFile(file: string, onChange: () => void): () => void {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, SETTLE_MS);
    });
  } catch {
    // No folder yet (a first run on defaults): nothing to watch until one is saved.
    return () => {};
  }
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
