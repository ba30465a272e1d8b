// Help text for `flux-bootstrap render`, generated from the schema descriptions.
import { OPTION_FLAGS, TOOL_FLAGS, type FlagSpec } from './flags';
import { text } from '../text';

function wrap(prose: string, width: number, indent: string): string {
  const words = prose.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

function describe(f: FlagSpec): string {
  const value = f.kind === 'boolean' ? '[=true|false]' : f.kind === 'list' ? ' <a,b,...>' : ' <value>';
  const def =
    f.default === undefined || (Array.isArray(f.default) && f.default.length === 0) || f.default === ''
      ? ''
      : ` (default ${Array.isArray(f.default) ? f.default.join(',') : text(f.default)})`;
  const indent = ' '.repeat(6);
  return `  ${f.flag}${value}\n${indent}${wrap(f.description + def, 74, indent)}`;
}

export function renderHelp(): string {
  return [
    'Usage: flux-bootstrap render --version <vX.Y.Z> --url <git-url> --out <dir> [flags]',
    '',
    'Writes the three files `flux bootstrap` commits, byte for byte as it writes them:',
    '  <out>/<path>/<namespace>/gotk-components.yaml, gotk-sync.yaml, kustomization.yaml',
    "Flags are named like `flux bootstrap`'s. Nothing is written when an input is invalid.",
    '',
    'Flux options:',
    ...OPTION_FLAGS.map(describe),
    '',
    'Tool options:',
    ...TOOL_FLAGS.map(describe),
    '  --help',
    '      Show this help.',
    '',
  ].join('\n');
}
