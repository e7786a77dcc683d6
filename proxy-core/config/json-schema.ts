// The JSON Schema editors use to autocomplete and check config.json, generated from the
// same zod schema the engine validates with, so the two cannot drift apart.
import { z } from 'zod';
import { ConfigSchema } from '../contract/index.js';

/**
 * The input side: what a person may write, so fields with defaults are optional.
 * Checks that JSON Schema cannot express (host and URL shapes, "target" xor "targets")
 * are left to Portico's own validation, which explains them better anyway.
 */
export function configJsonSchema(): Record<string, unknown> {
  // draft-07 rather than zod's default 2020-12: VS Code and JetBrains support it fully.
  return z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
}

/** The schema file's exact text: write-json-schema writes it and a test compares against it. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
