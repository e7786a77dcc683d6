// The one rule for "this path is under this prefix", shared by route matching, path deny
// rules and rewrites: at a segment boundary. "/api" covers "/api", "/api/x" and "/api?q",
// never "/apix".

export function underPrefix(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const next = path.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63; /* ? */
}
