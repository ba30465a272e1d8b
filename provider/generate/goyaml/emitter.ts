// A block-style YAML writer that reproduces gopkg.in/yaml.v2's Marshal output byte for
// byte (2-space indent, 80-column folding, indentless sequences in mappings, natural key
// order). kustomize renders every resource through it (JSON -> sigs.k8s.io/yaml), and so
// does Flux's sync generator, so matching it is what makes our files identical to Flux's.

import { formatGoFloat } from './float';
import { needsQuotes } from './resolve';
import { analyzeScalar, escapeFor, isBreak, needsEscape, ScalarStyle, selectStyle } from './scalar';
import { sortedKeys } from './sort';

export { formatGoFloat } from './float';

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

export function isMap(v: unknown): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Columns a string takes: one per code point, as libyaml counts them. */
function width(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) n--;
  }
  return n;
}

class Writer {
  private out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;

  text(): string {
    return this.out;
  }

  private put(s: string, columns = width(s)): void {
    this.out += s;
    this.column += columns;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  writeIndent(indent: number): void {
    const target = Math.max(indent, 0);
    if (!this.indention || this.column > target || (this.column === target && !this.whitespace)) this.putBreak();
    if (this.column < target) this.put(' '.repeat(target - this.column), target - this.column);
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ', 1);
    this.put(indicator, indicator.length);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  /** Writes a scalar whose continuation lines (folds, literal lines) sit at `indent`. */
  scalar(value: string, requested: ScalarStyle, indent: number, simpleKey: boolean): void {
    const style = selectStyle(requested, analyzeScalar(value), simpleKey, value.length === 0);
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain':
        return this.plain(value, indent, allowBreaks);
      case 'single':
        return this.singleQuoted(Array.from(value), indent, allowBreaks);
      case 'double':
        return this.doubleQuoted(Array.from(value), indent, allowBreaks);
      case 'literal':
        return this.literal(value, indent);
    }
  }

  private plain(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ', 1);
    const w = width(value);
    // A fold happens only at a space reached past column 80; short values go in one piece.
    if (!allowBreaks || this.column + w <= BEST_WIDTH + 1 || !value.includes(' ')) {
      this.put(value, w);
    } else {
      const chars = Array.from(value);
      let spaces = false;
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        if (ch === ' ') {
          if (!spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent(indent);
          else this.put(ch, 1);
          spaces = true;
        } else {
          this.put(ch, 1);
          spaces = false;
        }
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: string[], indent: number, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const last = chars.length - 1;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (ch === ' ') {
        const fold = allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== last && chars[i + 1] !== ' ';
        if (fold) this.writeIndent(indent);
        else this.put(ch, 1);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.lineBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.put(ch === "'" ? "''" : ch, ch === "'" ? 2 : 1);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(chars: string[], indent: number, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const last = chars.length - 1;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (needsEscape(ch)) {
        const esc = '\\' + escapeFor(ch.codePointAt(0)!);
        this.put(esc, esc.length);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== last) {
          this.writeIndent(indent);
          if (chars[i + 1] === ' ') this.put('\\', 1);
        } else {
          this.put(ch, 1);
        }
        spaces = true;
      } else {
        this.put(ch, 1);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(value: string, indent: number): void {
    this.writeIndicator('|', true, false, false);
    if (value[0] === ' ' || isBreak(value[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    const n = value.length;
    let chomp = '';
    if (n === 0 || !isBreak(value[n - 1])) chomp = '-';
    else if (n === 1 || isBreak(value[n - 2])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    if (chomp === '+') this.openEnded = true;
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    if (/[\r\u0085\u2028\u2029]/.test(value)) return this.literalChars(Array.from(value), indent);
    const lines = value.split('\n');
    for (let k = 0; k < lines.length; k++) {
      if (k > 0) {
        this.putBreak();
        this.indention = true;
      }
      if (lines[k] !== '') {
        this.writeIndent(indent);
        this.put(lines[k]);
        this.indention = false;
      }
    }
  }

  private literalChars(chars: string[], indent: number): void {
    let breaks = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.lineBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.put(ch, 1);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private lineBreak(ch: string): void {
    if (ch === '\n') {
      this.putBreak();
    } else {
      this.out += ch;
      this.column = 0;
    }
  }

  endDocument(): void {
    this.writeIndent(-1);
    if (this.openEnded) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent(-1);
    }
  }
}

function scalarText(value: null | boolean | number | string): { text: string; style: ScalarStyle } {
  if (value === null) return { text: 'null', style: 'plain' };
  if (typeof value === 'boolean') return { text: String(value), style: 'plain' };
  if (typeof value === 'number') return { text: formatGoFloat(value), style: 'plain' };
  if (value.includes('\n')) return { text: value, style: 'literal' };
  return { text: value, style: needsQuotes(value) ? 'double' : 'plain' };
}

function isEmptyCollection(v: YamlValue): boolean {
  return Array.isArray(v) ? v.length === 0 : isMap(v) && Object.keys(v).length === 0;
}

/** Emits `value`, the node under a key or a `-` at block indent `indent`. */
function emitNode(w: Writer, value: YamlValue, indent: number, inMapping: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return w.writeIndicator('[]', true, false, false);
    // Sequences under a mapping key are written indentless, as yaml.v2 does.
    const seqIndent = inMapping ? indent : indent + BEST_INDENT;
    for (const item of value) {
      w.writeIndent(seqIndent);
      w.writeIndicator('-', true, false, true);
      emitNode(w, item, seqIndent, false);
    }
    return;
  }
  if (isMap(value)) {
    const keys = sortedKeys(value);
    if (keys.length === 0) return w.writeIndicator('{}', true, false, false);
    const mapIndent = indent + BEST_INDENT;
    for (const key of keys) {
      w.writeIndent(mapIndent);
      if (key.length > 128 || key.includes('\n')) throw new Error(`yaml: key too long for a simple key: ${key.slice(0, 40)}`);
      const k = scalarText(key);
      w.scalar(k.text, k.style, mapIndent + BEST_INDENT, true);
      w.writeIndicator(':', false, false, false);
      emitNode(w, value[key], mapIndent, true);
    }
    return;
  }
  if (value === undefined) throw new Error('yaml: cannot marshal undefined');
  const s = scalarText(value);
  w.scalar(s.text, s.style, indent + BEST_INDENT, false);
}

/** yaml.v2 Marshal of one document: no leading `---`, ends with a newline. */
export function marshal(value: YamlValue): string {
  const w = new Writer();
  if (isEmptyCollection(value)) {
    w.writeIndicator(Array.isArray(value) ? '[]' : '{}', true, false, false);
  } else {
    emitNode(w, value, -BEST_INDENT, false);
  }
  w.endDocument();
  return w.text();
}
