// Keeps the first `limit` bytes of a body and counts the rest: a 200 MB upload costs the
// capture store at most the limit, never the whole body.
export class BodyCapture {
  /** Most bodies arrive in one chunk: an array only once a second one comes. */
  private chunks: Buffer | Buffer[] | undefined;
  /** Bytes seen on the wire. */
  size = 0;
  /** Bytes kept. */
  captured = 0;
  truncated = false;

  push(chunk: Buffer, limit: number): void {
    this.size += chunk.length;
    const room = limit - this.captured;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    if (kept.length < chunk.length) this.truncated = true;
    // No copy: a stream hands out a fresh buffer per chunk, ours to hold once it moved on.
    if (this.chunks === undefined) this.chunks = kept;
    else if (Array.isArray(this.chunks)) this.chunks.push(kept);
    else this.chunks = [this.chunks, kept];
    this.captured += kept.length;
  }

  bytes(): Buffer {
    if (Array.isArray(this.chunks)) this.chunks = Buffer.concat(this.chunks);
    return this.chunks ?? Buffer.alloc(0);
  }

  /** Fills an empty capture with bytes from elsewhere (an imported HAR). */
  restore(data: Buffer, size = data.length, truncated = false): void {
    this.chunks = data;
    this.captured = data.length;
    this.size = size;
    this.truncated = truncated;
  }
}
