// A rolldown plugin for the bundled CLI: Node's built-in modules are taken with require()
// instead of ESM `import`, and only the names a chunk uses are read.
//
// Why: an ESM import of a built-in copies every export into the module namespace, and
// reading an export runs its getter. `import http from 'node:http'` thereby loads Node's
// whole fetch implementation (undici, for http.WebSocket) and `node:tls` parses every
// bundled root certificate (tls.rootCertificates): about 13 MB of resident memory that
// `portico serve` never uses. require() returns the module object as it is, and a getter
// runs only when its name is read.

const NODE_IMPORT = /^import\s+([^;]+?)\s+from\s+"(node:[^"]+)";$/gm;

/** `a as b, c` → `a: b, c` (a destructuring pattern). */
function pattern(named) {
  return named
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, local] = part.split(/\s+as\s+/);
      return local === undefined ? name : `${name}: ${local}`;
    })
    .join(', ');
}

/** The statements that replace one `import CLAUSE from "node:x";`, or undefined for a form this does not handle. */
function rewrite(clause, specifier, index) {
  const match = /^(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?$/.exec(clause.trim());
  if (!match || (!match[1] && match[2] === undefined)) return undefined; // e.g. `* as ns`: left as an import
  if (match[2]?.includes('default')) return undefined;
  const name = match[1] ?? `__porticoBuiltin${index}`;
  const lines = [`const ${name} = __porticoRequire(${JSON.stringify(specifier)});`];
  if (match[2] !== undefined && match[2].trim()) lines.push(`const { ${pattern(match[2])} } = ${name};`);
  return lines.join(' ');
}

export function builtinsByRequire() {
  return {
    name: 'builtins-by-require',
    renderChunk(code) {
      let index = 0;
      let changed = false;
      const out = code.replace(NODE_IMPORT, (statement, clause, specifier) => {
        const replacement = rewrite(clause, specifier, index++);
        if (replacement === undefined) return statement;
        changed = true;
        return replacement;
      });
      if (!changed) return null;
      // Imports are hoisted, so the require() must exist before any rewritten line runs
      // (after the #! line of the entry, which must stay first).
      const prelude =
        'import { createRequire as __porticoCreateRequire } from "node:module"; const __porticoRequire = __porticoCreateRequire(import.meta.url);\n';
      const hashbang = /^#!.*\n/.exec(out)?.[0] ?? '';
      return hashbang + prelude + out.slice(hashbang.length);
    },
  };
}
