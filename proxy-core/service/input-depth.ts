// Command input arrives as JSON from a page or a script. JSON.parse copes with any nesting,
// but schema validation recurses per level: a few thousand `[` overflow the stack. No
// command takes more than a handful of levels (a HAR is about eight), so deeper is refused
// before validation.
export const MAX_INPUT_DEPTH = 64;

/** True when `value` nests objects or arrays deeper than `max`; iterative, so it cannot overflow. */
export function nestedTooDeep(value: unknown, max = MAX_INPUT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
