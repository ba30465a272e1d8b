// Git object ids computed locally, so a no-change check needs no transfer: a file's blob id is
// sha1("blob <byte length>\0" + bytes), the same value `git hash-object` and ls-tree give.
import { createHash } from 'node:crypto';

export function blobId(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
