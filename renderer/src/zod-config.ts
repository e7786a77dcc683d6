// Imported first by main.tsx. zod 4 compiles object parsers with `new Function` unless told
// not to; under our CSP (no 'unsafe-eval') its feature probe is a CSP violation report
// on every start. The contract's schemas run at import time, so this must come earlier.
import { config } from 'zod';

config({ jitless: true });
