// Scalar analysis and style choice of the libyaml emitter as ported in gopkg.in/yaml.v2.
// The rules decide, per string, between plain, 'single', "double" and |- literal.

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

export interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

export function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

export function isBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

const isBlankCode = (c: number) => c === 0x20 || c === 0x09;
const isBreakCode = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const FIRST_INDICATORS = new Set(Array.from('#,[]{}&*!|>\'"%@`', (c) => c.charCodeAt(0)));

/** yaml_emitter_analyze_scalar, for block context (flow_level is always 0 here). */
export function analyzeScalar(value: string): ScalarAnalysis {
  const n = value.length;
  if (n === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let lineBreaks = false;
  let specialCharacters = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);

  for (let i = 0; i < n; i++) {
    let c = value.charCodeAt(i);
    let width = 1;
    // A surrogate pair is one (non-printable, to libyaml) character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      c = 0x10000;
      width = 2;
    }
    const next = i + width < n ? value.charCodeAt(i + width) : -1;
    const followedByWhitespace = next === -1 || isBlankCode(next);
    if (i === 0) {
      if (FIRST_INDICATORS.has(c)) blockIndicators = true;
      else if ((c === 0x3f || c === 0x3a || c === 0x2d) && followedByWhitespace) blockIndicators = true;
    } else if (c === 0x3a && followedByWhitespace) {
      blockIndicators = true;
    } else if (c === 0x23 && precededByWhitespace) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (c === 0x20) {
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCode(c)) {
      lineBreaks = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankCode(c) || isBreakCode(c);
    i += width - 1;
  }

  const leadingSpace = first === 0x20;
  const leadingBreak = isBreakCode(first);
  const trailingSpace = last === 0x20;
  const trailingBreak = isBreakCode(last);
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** yaml_emitter_select_scalar_style: the requested style, downgraded where not allowed. */
export function selectStyle(requested: ScalarStyle, a: ScalarAnalysis, simpleKey: boolean, empty: boolean): ScalarStyle {
  let style = requested;
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (empty && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

const ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** The escape sequence (without the backslash) yaml.v2 writes for a character in "double" quotes. */
export function escapeFor(cp: number): string {
  const named = ESCAPES[cp];
  if (named !== undefined) return named;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return 'x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return 'u' + hex.padStart(4, '0');
  return 'U' + hex.padStart(8, '0');
}

export function needsEscape(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return !isPrintable(cp) || cp === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\';
}
