// `npm run schema`: regenerates proxy-core/contract/config.schema.json from the zod schema.
// Run from the package root (npm does); an explicit output path may be given instead.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { configJsonSchemaText } from './json-schema.js';

const out = resolve(process.argv[2] ?? 'proxy-core/contract/config.schema.json');
await writeFile(out, configJsonSchemaText());
console.log(`wrote ${out}`);
