// Adding and removing a Basic-auth user on a route, for `portico passwd` (which edits the
// file as written) and the control service (which edits parsed routes). Both only touch
// auth.basic.users and keep everything else as it was.

interface RouteLike {
  auth?: { basic?: { users?: Record<string, string> } & Record<string, unknown> } & Record<string, unknown>;
  [field: string]: unknown;
}

/** The route with `user` set to `hash` (Basic auth switched on if it was not). */
export function withUser<R extends RouteLike>(route: R, user: string, hash: string): R & { auth: { basic: { users: Record<string, string> } } } {
  const basic = route.auth?.basic ?? {};
  return { ...route, auth: { ...route.auth, basic: { ...basic, users: { ...basic.users, [user]: hash } } } };
}

/** The route without `user`; undefined when it had no such user. Auth stays on (nobody left means nobody gets in). */
export function withoutUser<R extends RouteLike>(route: R, user: string): R | undefined {
  const users = route.auth?.basic?.users;
  if (!users || !Object.hasOwn(users, user)) return undefined;
  const { [user]: _removed, ...rest } = users;
  return { ...route, auth: { ...route.auth, basic: { ...route.auth!.basic, users: rest } } };
}
