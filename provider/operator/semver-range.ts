// Which Flux release a FluxInstance's `distribution.version` names: the newest release the
// operator carries that satisfies it. The operator reads the range with Masterminds/semver v3
// (builder.MatchVersion); this reads the same syntax, so a preview can name the release the
// operator will install: wildcards (`2.x`, `2.9.x`, `*`), comparisons (`>=2.8.0 <3.0.0`, `!=`),
// tilde and caret (`~2.9`, `^2.8.1`), hyphen ranges (`2.7 - 2.9`), `,` or space for AND, `||`
// for OR. Anything else is refused, never guessed.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

interface Bound {
  op: '>=' | '>' | '<=' | '<' | '=' | '!=';
  v: Version;
}

/** `v2.9.3` or `2.9.3` (a prerelease after `-`); null when it is not a version. */
export function parseVersion(text: string): Version | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? { major: +m[1], minor: +m[2], patch: +m[3], pre: m[4] ?? '' } : null;
}

export function compare(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre === b.pre) return 0;
  if (!a.pre) return 1;
  if (!b.pre) return -1;
  return a.pre < b.pre ? -1 : 1;
}

const WILD = /^[xX*]$/;
const v = (major: number, minor: number, patch: number): Version => ({ major, minor, patch, pre: '' });

/** A partial version (`2`, `2.9`, `2.x`, `2.9.3-rc.1`): its parts, null where wild or missing. */
function partial(text: string): { parts: (number | null)[]; pre: string } | null {
  const m = /^v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?$/.exec(text);
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].map((p) => (p === undefined || WILD.test(p) ? null : /^\d+$/.test(p) ? Number(p) : NaN));
  if (parts.some((p) => Number.isNaN(p))) return null;
  // a wild part is followed by wild parts only (2.x.3 means nothing)
  const firstWild = parts.indexOf(null);
  if (firstWild >= 0 && parts.slice(firstWild).some((p) => p !== null)) return null;
  return { parts, pre: m[4] ?? '' };
}

/** The bounds of one term, e.g. `>=2.8`, `~2.9.1`, `2.x`. */
function term(op: string, text: string): Bound[] | null {
  const p = partial(text);
  if (!p) return null;
  const [ma, mi, pa] = p.parts;
  const low = v(ma ?? 0, mi ?? 0, pa ?? 0);
  if (p.pre) low.pre = p.pre;
  // the first version past the wildcard: 2.x -> 3.0.0, 2.9.x -> 2.10.0
  const next = (): Version | null => (ma === null ? null : mi === null ? v(ma + 1, 0, 0) : pa === null ? v(ma, mi + 1, 0) : null);
  switch (op) {
    case '':
    case '=': {
      if (ma === null) return [];
      const up = next();
      return up
        ? [
            { op: '>=', v: low },
            { op: '<', v: up },
          ]
        : [{ op: '=', v: low }];
    }
    case '!=':
      if (ma === null) return null;
      return next() ? null : [{ op: '!=', v: low }];
    case '>': {
      const up = next();
      return up ? [{ op: '>=', v: up }] : [{ op: '>', v: low }];
    }
    case '>=':
    case '=>':
      return [{ op: '>=', v: low }];
    case '<':
      return [{ op: '<', v: low }];
    case '<=':
    case '=<': {
      const up = next();
      return up ? [{ op: '<', v: up }] : [{ op: '<=', v: low }];
    }
    case '~':
    case '~>':
      if (ma === null) return [];
      return [
        { op: '>=', v: low },
        { op: '<', v: mi === null ? v(ma + 1, 0, 0) : v(ma, mi + 1, 0) },
      ];
    case '^': {
      if (ma === null) return [];
      const up = ma > 0 || mi === null ? v(ma + 1, 0, 0) : mi > 0 || pa === null ? v(0, mi + 1, 0) : v(0, 0, pa + 1);
      return [
        { op: '>=', v: low },
        { op: '<', v: up },
      ];
    }
    default:
      return null;
  }
}

/** The range as OR groups of AND bounds; null when some part of it is not Masterminds syntax. */
export function parseRange(range: string): Bound[][] | null {
  const groups: Bound[][] = [];
  for (const alt of range.split('||')) {
    // a hyphen range: `2.7 - 2.9` is >=2.7.0 and <=2.9 (a partial upper bound is wild);
    // an operator may be written apart from its version: `>= 2.8.0`
    const text = alt
      .trim()
      .replace(/\s+-\s+/g, ' - ')
      .replace(/(!=|>=|=>|<=|=<|~>|[=<>~^])\s+/g, '$1');
    const tokens = text.split(/[\s,]+/).filter(Boolean);
    if (!tokens.length) return null;
    const bounds: Bound[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i + 1] === '-') {
        const lo = term('>=', tokens[i]);
        const hi = term('<=', tokens[i + 2] ?? '');
        if (!lo || !hi) return null;
        bounds.push(...lo, ...hi);
        i += 2;
        continue;
      }
      const m = /^(!=|>=|=>|<=|=<|~>|[=<>~^])?(.+)$/.exec(tokens[i]);
      const b = m ? term(m[1] ?? '', m[2]) : null;
      if (!b) return null;
      bounds.push(...b);
    }
    groups.push(bounds);
  }
  return groups;
}

function satisfies(x: Version, bounds: Bound[]): boolean {
  // a prerelease only matches a range that names a prerelease of the same version
  if (x.pre && !bounds.some((b) => b.v.pre && b.v.major === x.major && b.v.minor === x.minor && b.v.patch === x.patch)) return false;
  return bounds.every((b) => {
    const c = compare(x, b.v);
    return b.op === '>=' ? c >= 0 : b.op === '>' ? c > 0 : b.op === '<=' ? c <= 0 : b.op === '<' ? c < 0 : b.op === '=' ? c === 0 : c !== 0;
  });
}

/** Whether `range` is a constraint this module reads (the operator would read it the same way). */
export function isRange(range: string): boolean {
  return parseRange(range) !== null;
}

/** The newest of `releases` (e.g. ["v2.9.3", ...]) that satisfies `range`; null when none does. */
export function resolveRange(range: string, releases: readonly string[]): string | null {
  const groups = parseRange(range);
  if (!groups) return null;
  let best: { name: string; v: Version } | null = null;
  for (const name of releases) {
    const x = parseVersion(name);
    if (!x || !groups.some((g) => satisfies(x, g))) continue;
    if (!best || compare(x, best.v) > 0) best = { name, v: x };
  }
  return best?.name ?? null;
}
