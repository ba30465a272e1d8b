// A Go module zip as the module proxy serves it (`<module>/@v/<version>.zip`): the entries'
// names (all under `<module>@<version>/`), their contents inflated on demand, and the module's
// `h1:` digest (golang.org/x/mod/sumdb/dirhash Hash1), which go.sum and the checksum database
// record, so a download can be checked against a known digest.
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DistributionError } from '../errors';

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
}

export class ModuleZip {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly data: Buffer,
    readonly source: string,
  ) {
    // the end of central directory record: the last "PK\x05\x06" (a comment may follow it)
    let eocd = -1;
    for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
      if (data.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new DistributionError(`${source} is not a zip file (no end of central directory)`);
    const count = data.readUInt16LE(eocd + 10);
    let p = data.readUInt32LE(eocd + 16);
    for (let n = 0; n < count; n++) {
      if (data.readUInt32LE(p) !== 0x02014b50) throw new DistributionError(`${source}: damaged central directory`);
      const method = data.readUInt16LE(p + 10);
      const compressedSize = data.readUInt32LE(p + 20);
      const nameLength = data.readUInt16LE(p + 28);
      const extraLength = data.readUInt16LE(p + 30);
      const commentLength = data.readUInt16LE(p + 32);
      const offset = data.readUInt32LE(p + 42);
      const name = data.toString('utf8', p + 46, p + 46 + nameLength);
      if (!name.endsWith('/')) this.entries.set(name, { name, method, compressedSize, offset });
      p += 46 + nameLength + extraLength + commentLength;
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  read(name: string): Buffer {
    const e = this.entries.get(name);
    if (!e) throw new DistributionError(`${this.source} has no ${name}`);
    const h = e.offset;
    if (this.data.readUInt32LE(h) !== 0x04034b50) throw new DistributionError(`${this.source}: damaged entry ${name}`);
    const start = h + 30 + this.data.readUInt16LE(h + 26) + this.data.readUInt16LE(h + 28);
    const raw = this.data.subarray(start, start + e.compressedSize);
    if (e.method === 0) return Buffer.from(raw);
    if (e.method === 8) return inflateRawSync(raw);
    throw new DistributionError(`${this.source}: ${name} uses zip method ${e.method}`);
  }

  /** The module's `h1:` digest: sha256 over the sorted "<sha256 hex>  <name>\n" lines of its files. */
  h1(): string {
    const summary = this.names()
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((name) => `${createHash('sha256').update(this.read(name)).digest('hex')}  ${name}\n`)
      .join('');
    return `h1:${createHash('sha256').update(summary).digest('base64')}`;
  }
}
