// How gopkg.in/yaml.v2 (YAML 1.1) would read an unquoted scalar. Its encoder quotes a
// string exactly when the plain form would read back as something else, so this decides
// between `foo` and `"foo"` in every file kustomize and Flux write.

const BOOL_OR_NULL = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) would accept it. */
function isGoInt(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const sign = m[1];
  const digits = m[2];
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt('0o' + digits.slice(2));
  else if (/^0[0-7]+$/.test(digits)) value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  if (sign === '-') return -value >= INT64_MIN;
  // ParseUint takes no sign at all.
  return value <= 2n ** 63n - 1n || (sign === '' && value <= UINT64_MAX);
}

function isGoFloat(s: string): boolean {
  return Number.isFinite(Number(s.replace(/^\+/, '')));
}

const TIMESTAMP_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?$/,
];

/** yaml.v2 parseTimestamp: Go's time.Parse with the layouts yaml.v2 allows. */
function isTimestamp(s: string): boolean {
  for (const form of TIMESTAMP_FORMS) {
    const m = form.exec(s);
    if (!m) continue;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day < 1) continue;
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > daysInMonth) continue;
    if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) continue;
    return true;
  }
  return false;
}

/** True when yaml.v2 would read `s`, unquoted, as a non-string (bool, null, number, time). */
export function resolvesToNonString(s: string): boolean {
  if (BOOL_OR_NULL.has(s)) return true;
  const first = s.charCodeAt(0);
  const isDigit = first >= 48 && first <= 57;
  if (s[0] === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) && isGoFloat(s);
  if (!isDigit && s[0] !== '+' && s[0] !== '-') return false;
  if (isTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (isGoInt(plain)) return true;
  if (YAML_STYLE_FLOAT.test(plain) && isGoFloat(plain)) return true;
  return false;
}

/** yaml.v2 also quotes sexagesimal-looking strings such as `1:20`. */
export function needsQuotes(s: string): boolean {
  return resolvesToNonString(s) || BASE60_FLOAT.test(s);
}

/**
 * Whether the YAML 1.2 reader in kustomize (yaml.v3) would take `s`, written unquoted into
 * a template, as something other than a string. Used to refuse names Flux's templates
 * would silently turn into numbers or booleans.
 */
export function yaml12NonString(s: string): boolean {
  if (/^(true|True|TRUE|false|False|FALSE|null|Null|NULL|~|)$/.test(s)) return true;
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) return true;
  if (/^[-+]?[0-9]+$/.test(s) || /^0o[0-7]+$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s)) return true;
  return /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s);
}
