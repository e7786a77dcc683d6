// scrypt password hashes in the self-describing form the config stores:
// scrypt$N$r$p$salt$hash (base64url). Both hashing and checking run on libuv's thread
// pool, never on the event loop: a check costs tens of milliseconds at these parameters
// (more under load), which would stall every other request the proxy is serving. The
// Basic-auth policy also remembers each header's verdict, so it is paid once per credential.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_HASH_PATTERN } from '../contract/index.js';

/** Node's own scrypt defaults (16 MiB, ~30 ms on a laptop): fine for a dev proxy, cached per header. */
const COST = { N: 16_384, r: 8, p: 1 };
const KEY_BYTES = 32;

export interface ParsedHash {
  options: ScryptOptions;
  salt: Buffer;
  key: Buffer;
}

export function parsePasswordHash(text: string): ParsedHash | undefined {
  const m = PASSWORD_HASH_PATTERN.exec(text);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) would reject legitimate higher costs.
  return { options: { N, r, p, maxmem: 256 * N * r }, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') };
}

/** The scrypt key of a password (NFC-normalized, so é typed either way is one password). */
function derive(password: string, salt: Buffer, bytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, bytes, options, (err, derived) => (err ? reject(err) : resolve(derived))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_BYTES, { ...COST, maxmem: 256 * COST.N * COST.r });
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

let decoy: ParsedHash | undefined;
/** A hash no password matches, at the default costs: checked for unknown users so they take as long as known ones. */
export function decoyHash(): ParsedHash {
  decoy ??= { options: { ...COST, maxmem: 256 * COST.N * COST.r }, salt: randomBytes(16), key: randomBytes(KEY_BYTES) };
  return decoy;
}

/** Constant-time in the comparison; the scrypt work itself depends only on the hash's costs. */
export async function verifyPassword(password: string, hash: ParsedHash): Promise<boolean> {
  const derived = await derive(password, hash.salt, hash.key.length, hash.options);
  return timingSafeEqual(derived, hash.key);
}
