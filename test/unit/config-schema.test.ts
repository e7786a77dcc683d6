// The JSON Schema for editors: committed file never stale, and it describes the same
// format the zod schema accepts (checked with a small draft-07 subset validator that
// refuses keywords it does not know, so a richer schema cannot pass unchecked).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText, parseConfig } from '../../proxy-core/config/index.js';

const COMMITTED = new URL('../../proxy-core/contract/config.schema.json', import.meta.url);

const EXAMPLE = {
  http: { port: 80 },
  https: { port: 443 },
  routes: [
    { host: 'shop.localhost', target: 'http://127.0.0.1:3000' },
    { host: '*.shop.localhost', pathPrefix: '/api', targets: ['http://127.0.0.1:4000', 'http://127.0.0.1:4001'] },
  ],
};

/** The compression and cache switches: a boolean or an options object, per route and as a default. */
const SWITCHES = {
  defaults: { compression: true, cache: false },
  routes: [
    { host: 'a.localhost', target: 'http://127.0.0.1:3000', compression: false, cache: { xCache: false } },
    { host: 'b.localhost', target: 'http://127.0.0.1:3000', compression: { threshold: 0, encodings: ['gzip', 'br'] } },
  ],
};

type Schema = Record<string, unknown>;
const ANNOTATIONS = new Set(['$schema', 'description', 'default', 'title']);

/** Errors for `value` against `schema`, for the keywords config.schema.json uses. */
function check(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case 'type': {
        const ok =
          arg === 'object'
            ? typeof value === 'object' && value !== null && !Array.isArray(value)
            : arg === 'array'
              ? Array.isArray(value)
              : arg === 'integer'
                ? Number.isInteger(value)
                : typeof value === arg;
        if (!ok) return [`${at}: not ${String(arg)}`];
        break;
      }
      case 'properties':
        for (const [key, sub] of Object.entries(arg as Record<string, Schema>)) {
          const v = (value as Record<string, unknown>)[key];
          if (v !== undefined) errors.push(...check(sub, v, `${at}.${key}`));
        }
        break;
      case 'required':
        for (const key of arg as string[]) if (!(key in (value as object))) errors.push(`${at}.${key}: required`);
        break;
      case 'additionalProperties': {
        const known = Object.keys((schema['properties'] as object | undefined) ?? {});
        if (arg === false) for (const key of Object.keys(value as object)) if (!known.includes(key)) errors.push(`${at}.${key}: not allowed`);
        break;
      }
      case 'items':
        (value as unknown[]).forEach((v, i) => errors.push(...check(arg as Schema, v, `${at}[${i}]`)));
        break;
      case 'minItems':
        if ((value as unknown[]).length < (arg as number)) errors.push(`${at}: too few items`);
        break;
      case 'minLength':
        if ((value as string).length < (arg as number)) errors.push(`${at}: too short`);
        break;
      case 'minimum':
        if ((value as number) < (arg as number)) errors.push(`${at}: below minimum`);
        break;
      case 'maximum':
        if ((value as number) > (arg as number)) errors.push(`${at}: above maximum`);
        break;
      case 'exclusiveMinimum':
        if ((value as number) <= (arg as number)) errors.push(`${at}: not above exclusiveMinimum`);
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(value)) errors.push(`${at}: not one of ${JSON.stringify(arg)}`);
        break;
      case 'anyOf': {
        const tries = (arg as Schema[]).map((sub) => check(sub, value, at));
        if (tries.every((t) => t.length > 0)) errors.push(`${at}: matches none of anyOf (${tries.map((t) => t.join('; ')).join(' | ')})`);
        break;
      }
      default:
        throw new Error(`the test validator does not know "${keyword}" (at ${at}): teach it`);
    }
  }
  return errors;
}

describe('config JSON Schema', () => {
  it('the committed proxy-core/contract/config.schema.json is up to date (npm run schema)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes the top-level sections, with defaults optional', () => {
    const schema = configJsonSchema();
    expect(Object.keys(schema['properties'] as object)).toEqual(expect.arrayContaining(['routes', 'http', 'https']));
    expect(schema['required'] ?? []).toEqual([]);
  });

  it('accepts the example config, as zod does', () => {
    expect(() => parseConfig(EXAMPLE, 'example')).not.toThrow();
    expect(check(configJsonSchema(), EXAMPLE)).toEqual([]);
    expect(() => parseConfig(SWITCHES, 'switches')).not.toThrow();
    expect(check(configJsonSchema(), SWITCHES)).toEqual([]);
  });

  it('rejects what zod rejects where JSON Schema can express it', () => {
    const schema = configJsonSchema();
    expect(check(schema, { http: { port: 70000 } })).toEqual(['$.http.port: above maximum']);
    expect(check(schema, { routes: [{ host: 'a.localhost', target: 'http://x', taget: 'y' }] })).toEqual(['$.routes[0].taget: not allowed']);
    expect(check(schema, { routes: [{ target: 'http://x' }] })).toEqual(['$.routes[0].host: required']);
    expect(check(schema, { timeouts: { connectMs: 0 } })).toEqual(['$.timeouts.connectMs: not above exclusiveMinimum']);
    const lz = { host: 'a.localhost', target: 'http://x', compression: { encodings: ['lz'] } };
    expect(() => parseConfig({ routes: [lz] }, 'lz')).toThrow();
    expect(check(schema, { routes: [lz] })).toHaveLength(1);
  });
});
