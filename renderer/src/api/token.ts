// The headless UI is opened as http://127.0.0.1:PORT/?token=…. The token is moved to
// sessionStorage (so a reload keeps working) and taken out of the address bar, so it does
// not end up in screenshots, the history, or a link someone copies.
const KEY = 'portico.token';

export function takeToken(): string | undefined {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY) ?? undefined;
}
