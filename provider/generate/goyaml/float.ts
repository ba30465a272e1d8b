// Numbers as yaml.v2 writes them (Go's strconv formatting).

/**
 * A number as it comes out of kustomize: integral values were JSON integers, which yaml.v2
 * writes as ints; other values go through Go's strconv.FormatFloat(f, 'g', -1, 64), which
 * switches to an exponent below 1e-4 and from 1e+06 (e.g. "1.2345675e+06").
 */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (Number.isInteger(f)) return String(f);
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}
