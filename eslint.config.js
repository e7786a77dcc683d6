// Flat config: ESLint + typescript-eslint recommended (syntax only, no type-aware rules, to
// stay fast), plus `layers/imports`, which enforces the import direction in ARCHITECTURE.md (Layers).
// The tsconfig project references enforce the same boundary through lib/types; this rule
// also catches imports that would type-check (e.g. a type-only import of renderer code).
import path from 'node:path';
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** 'react-dom/client' → 'react-dom', '@scope/pkg/x' → '@scope/pkg', 'node:fs' → 'node:fs'. */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(name) {
  return name.startsWith('node:') || builtinModules.includes(name);
}

/** Repo-relative path a relative import lands on, with a trailing '/' for prefix tests. */
function landsIn(filename, spec) {
  const target = path.relative(ROOT, path.resolve(path.dirname(filename), spec));
  return target.split(path.sep).join('/') + '/';
}

// Each layer: which repo folders its relative imports may (allow) or may not (deny) land
// in, and which packages it may (allowPackages) or may not (denyPackages) import.
// Node built-ins are named 'node:*' in these lists.
const LAYERS = {
  contract: {
    allow: ['proxy-core/contract/'],
    allowPackages: ['zod'],
  },
  'proxy-core': {
    deny: ['renderer/', 'electron/', 'test/'],
    denyPackages: ['electron', 'react', 'react-dom'],
  },
  renderer: {
    allow: ['renderer/', 'proxy-core/contract/'],
    denyPackages: ['electron', 'node:*'],
  },
  electron: {
    deny: ['renderer/', 'test/'],
  },
};

const layersPlugin = {
  rules: {
    imports: {
      meta: {
        type: 'problem',
        schema: [{ enum: Object.keys(LAYERS) }],
        messages: { crossing: "The {{layer}} layer may not import '{{spec}}' ({{why}}). See ARCHITECTURE.md, Layers." },
      },
      create(context) {
        const layer = context.options[0];
        const rule = LAYERS[layer];
        const check = (node, source) => {
          if (!source || typeof source.value !== 'string') return;
          const spec = source.value;
          let why;
          if (spec.startsWith('.')) {
            const dir = landsIn(context.filename, spec);
            if (rule.allow && !rule.allow.some((d) => dir.startsWith(d))) why = `only ${rule.allow.join(', ')} allowed`;
            if (rule.deny?.some((d) => dir.startsWith(d))) why = `it lands in ${dir.slice(0, -1)}`;
          } else {
            const name = packageName(spec);
            const matches = (list) => list?.some((p) => p === name || (p === 'node:*' && isBuiltin(name)));
            if (rule.allowPackages && !matches(rule.allowPackages)) why = `packages allowed: ${rule.allowPackages.join(', ')}`;
            if (matches(rule.denyPackages)) why = `${name} is off limits here`;
          }
          if (why) context.report({ node, messageId: 'crossing', data: { layer, spec, why } });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source),
          ExportNamedDeclaration: (node) => check(node, node.source),
          ExportAllDeclaration: (node) => check(node, node.source),
          ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
          TSImportEqualsDeclaration: (node) => check(node, node.moduleReference.type === 'TSExternalModuleReference' ? node.moduleReference.expression : null),
          TSImportType: (node) => check(node, node.argument?.literal ?? null),
        };
      },
    },
  },
};

const TS = '**/*.{ts,tsx,cts,mts}';

export default defineConfig(
  { ignores: ['out/', 'renderer/dist/', 'dist-app/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    plugins: { layers: layersPlugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.cjs', '**/*.cts'], languageOptions: { sourceType: 'commonjs' } },
  // The preload is CommonJS by necessity (sandbox); `import x = require()` is how TS says it.
  { files: ['electron/preload.cts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: [`proxy-core/contract/${TS}`], rules: { 'layers/imports': ['error', 'contract'] } },
  {
    files: [`proxy-core/${TS}`],
    ignores: [`proxy-core/contract/**`],
    rules: { 'layers/imports': ['error', 'proxy-core'] },
  },
  {
    files: [`renderer/src/${TS}`],
    languageOptions: { globals: globals.browser },
    rules: { 'layers/imports': ['error', 'renderer'] },
  },
  { files: [`electron/${TS}`], rules: { 'layers/imports': ['error', 'electron'] } },
);
