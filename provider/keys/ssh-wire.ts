// The SSH wire encoding (RFC 4251 §5): uint32, string and mpint. Public key blobs,
// fingerprints and the OpenSSH private key format are all built from these three.

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([u32(b.length), b]);
}

/** mpint from an unsigned big-endian magnitude: minimal length, a 0x00 prefix when the
 *  high bit is set so the value stays positive, and zero encoded as the empty string. */
export function sshMpint(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  let b = magnitude.subarray(i);
  if (b.length > 0 && (b[0] & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated SSH data');
    const n = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  bytes(): Buffer {
    const len = this.uint32();
    if (this.pos + len > this.buf.length) throw new Error('truncated SSH data');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  text(): string {
    return this.bytes().toString('utf8');
  }

  /** mpint as an unsigned magnitude (negative values never occur in keys). */
  mpint(): Buffer {
    const b = this.bytes();
    if (b.length > 0 && (b[0] & 0x80) !== 0) throw new Error('negative mpint in SSH key');
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    return b.subarray(i);
  }

  raw(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('truncated SSH data');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
}

export function b64url(s: string): Buffer {
  return Buffer.from(s, 'base64url');
}

/** Left-pads a big-endian magnitude to a fixed width (JWK EC coordinates are fixed-width). */
export function padTo(b: Buffer, len: number): Buffer {
  if (b.length >= len) return b.subarray(b.length - len);
  return Buffer.concat([Buffer.alloc(len - b.length), b]);
}
