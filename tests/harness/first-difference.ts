// Where two long texts first differ, as a short readable message: byte-identity tests compare
// 300 KiB manifests, whose full diff in a failure would bury the one line that matters.

/** null when equal; else the first differing line of each, with a little context. */
export function firstDifference(ours: string, theirs: string): string | null {
  if (ours === theirs) return null;
  const a = ours.split('\n');
  const b = theirs.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (lines: string[]) =>
    lines
      .slice(Math.max(0, i - 3), i + 3)
      .map((l, k) => `${Math.max(0, i - 3) + k + 1}: ${l}`)
      .join('\n');
  return [
    `first difference at line ${i + 1} (ours ${a.length} lines, ${ours.length} bytes; theirs ${b.length} lines, ${theirs.length} bytes)`,
    `ours:\n${around(a)}`,
    `theirs:\n${around(b)}`,
  ].join('\n');
}
