// Saves text as a file through a blob: link. Works in a browser and in Electron (which
// shows its save dialog); no server round trip, so the token never appears in a URL.
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.className = 'offscreen';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next task; the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
