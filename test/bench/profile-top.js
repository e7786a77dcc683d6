// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function as a share of the
// busy (non-idle) time, heaviest first; then Portico's own functions (proxy-core) with
// self and total (self + callees) time. Usage: node profile-top.js FILE|DIR [N]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const [input, limit = '30'] = process.argv.slice(2);
const file = statSync(input).isDirectory()
  ? readdirSync(input)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(input, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
  : input;
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Sample i lasted timeDeltas[i + 1]; it belongs to the node on top of the stack.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const keyOf = ({ callFrame: { functionName, url, lineNumber } }) =>
  `${functionName || '(anonymous)'} ${url ? `${url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '~/')}:${lineNumber + 1}` : ''}`;

const self = new Map();
const totalByKey = new Map();
let busy = 0;
// Walk from the root keeping the keys on the stack, so recursion is not counted twice.
function walk(id, onStack) {
  const node = nodes.get(id);
  const key = keyOf(node);
  const us = selfUs.get(id) ?? 0;
  if (!key.startsWith('(idle)')) busy += us;
  self.set(key, (self.get(key) ?? 0) + us);
  let subtree = us;
  const fresh = !onStack.has(key);
  if (fresh) onStack.add(key);
  for (const child of node.children ?? []) subtree += walk(child, onStack);
  if (fresh) {
    onStack.delete(key);
    totalByKey.set(key, (totalByKey.get(key) ?? 0) + subtree);
  }
  return subtree;
}
walk(profile.nodes[0].id, new Set());

const pct = (us) => `${((100 * us) / busy).toFixed(2).padStart(6)}%`;
console.log(`${file}: ${(busy / 1e6).toFixed(1)} s busy (idle excluded); shares are of busy time`);
const rows = [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
console.log('\n  self  function');
for (const [key, us] of rows.slice(0, Number(limit))) console.log(`${pct(us)}  ${key.includes('proxy-core') ? '*' : ' '} ${key}`);
console.log("\nPortico's own code (proxy-core):\n  self    total  function");
for (const [key, us] of rows.filter(([k]) => k.includes('proxy-core')).slice(0, 15)) {
  console.log(`${pct(us)} ${pct(totalByKey.get(key))}  ${key}`);
}
