// Go's time.Duration: parsing of the interval syntax Flux's CRDs accept, and Duration.String(),
// which is how Flux writes every interval into gotk-sync.yaml ("1m0s", "10m0s", "1m30s").

const UNIT_NS: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const MAX_DURATION = 2n ** 63n - 1n;

/** Nanoseconds of a duration like "1m30s" or "1.5h"; undefined when it is not in that syntax or overflows. */
export function parseGoDuration(text: string): bigint | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0n;
  for (const m of text.matchAll(/([0-9]+)(?:\.([0-9]+))?(ms|s|m|h)/g)) {
    const unit = UNIT_NS[m[3]];
    total += BigInt(m[1]) * unit;
    if (m[2]) total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    if (total > MAX_DURATION) return undefined;
  }
  return total;
}

/** The fraction of v / 10^prec without trailing zeros (".5"), and the integer part. */
function splitFraction(v: bigint, prec: number): [string, bigint] {
  const scale = 10n ** BigInt(prec);
  const frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return [frac ? '.' + frac : '', v / scale];
}

/** Go's Duration.String() for a non-negative duration in nanoseconds. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  if (ns < 1_000_000_000n) {
    const [unit, prec] = ns < 1000n ? ['ns', 0] : ns < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = splitFraction(ns, prec);
    return `${whole}${frac}${unit}`;
  }
  const [frac, seconds] = splitFraction(ns, 9);
  const minutes = seconds / 60n;
  const hours = minutes / 60n;
  if (hours > 0n) return `${hours}h${minutes % 60n}m${seconds % 60n}${frac}s`;
  if (minutes > 0n) return `${minutes}m${seconds % 60n}${frac}s`;
  return `${seconds}${frac}s`;
}

/** "90s" -> "1m30s"; undefined when the text is not a duration. */
export function normalizeGoDuration(text: string): string | undefined {
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : formatGoDuration(ns);
}
