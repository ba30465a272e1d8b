// Lines added and removed between two texts (Myers' O((N+M)D) shortest edit script), for the
// one-line-per-file summary a preview shows. Version bumps change few lines of long files, so D
// stays small; a cap on D keeps a pathological pair from taking long (then counts are upper bounds).

export interface LineCounts {
  added: number;
  removed: number;
}

export function countLineChanges(before: string, after: string, maxD = 5000): LineCounts {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  // trim the common head and tail first: most of a manifest is unchanged
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0) return { added: m, removed: n };
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        // d edits: (n - common) removals and (m - common) additions with n + m - 2*common = d
        const common = (n + m - d) / 2;
        return { added: m - common, removed: n - common };
      }
    }
  }
  return { added: m, removed: n };
}

/** "+12 -3" */
export function formatCounts(c: LineCounts): string {
  return `+${c.added} -${c.removed}`;
}
