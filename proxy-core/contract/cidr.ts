// IP addresses and CIDR ranges without Node's net module, so the config schema (which the
// renderer loads too) can check an allow-list and the engine can match peers with the
// same code. IPv4 is a 32-bit number, IPv6 a 128-bit bigint; an IPv4-mapped IPv6 address
// (::ffff:1.2.3.4, what a dual-stack socket reports for IPv4 peers) counts as its IPv4.

export type IpAddress = { v: 4; n: number } | { v: 6; n: bigint };
export type Cidr = { v: 4; base: number; mask: number } | { v: 6; base: bigint; mask: bigint };

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const ALL_V6 = (1n << 128n) - 1n;

function parseV4(text: string): number | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    const octet = Number(part);
    if (octet > 255 || (part.length > 1 && part.startsWith('0'))) return undefined; // no octal look-alikes
    n = n * 256 + octet;
  }
  return n;
}

/** Up to eight hex groups, "::" once, optionally an IPv4 tail; a zone ("%eth0") is ignored. */
function parseV6(text: string): bigint | undefined {
  const address = text.replace(/%[^%]*$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseV4(part);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let n = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) n = (n << 16n) | BigInt(g);
  return n;
}

/** An address as a socket reports it or a person writes it; undefined if it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { v: 4, n: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseV6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v: 4, n: Number(v6 & 0xffffffffn) };
  return { v: 6, n: v6 };
}

/** "10.0.0.0/8", "fd00::/8", or a bare address (a range of one). Host bits are ignored. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseV4(addressText);
  if (v4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (bits > 32) return undefined;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { v: 4, base: (v4 & mask) >>> 0, mask };
  }
  const v6 = addressText.includes(':') ? parseV6(addressText) : undefined;
  if (v6 === undefined) return undefined;
  const bits = bitsText === undefined ? 128 : Number(bitsText);
  if (bits > 128) return undefined;
  // ::ffff:10.0.0.0/104 is an IPv4 range written the IPv6 way; peers are matched as IPv4.
  if (bits >= 96 && v6 >> 32n === 0xffffn) return parseCidr(`${ipv4Text(Number(v6 & 0xffffffffn))}/${bits - 96}`);
  const mask = ALL_V6 ^ ((1n << BigInt(128 - bits)) - 1n);
  return { v: 6, base: v6 & mask, mask };
}

function ipv4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  if (range.v === 4) return ip.v === 4 && (ip.n & range.mask) >>> 0 === range.base;
  return ip.v === 6 && (ip.n & range.mask) === range.base;
}
