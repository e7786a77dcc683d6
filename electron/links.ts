// Which URLs may leave the app for the user's browser: http(s) only. Anything else
// (file:, javascript:, custom protocol handlers, smb: shares) could run or open things
// the page has no business opening.
export function isExternalWebUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname, username, password } = new URL(url);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '' && username === '' && password === '';
}
