// `flux-bootstrap render`: validate everything, render in memory, and only then write.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkBootstrap } from '../../schema/validate';
import { desiredState } from '../desired-state';
import { loadDistribution } from '../distribution/index';
import { InputError, InputErrors } from '../errors';
import { flagFor, parseFlags } from './flags';
import { renderHelp } from './help';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** "invalid --namespace "X": ..." — the schema's field names become the flags users typed. */
function formatErrors(errors: InputError[]): string {
  return (
    errors
      .map((e) => {
        const top = e.field.split(/[.[]/)[0];
        const flag = flagFor(top);
        return `flux-bootstrap: ${flag ? e.formatAs(flag) : e.message}`;
      })
      .join('\n') + '\n'
  );
}

async function writeFiles(outDir: string, files: Record<string, string>): Promise<string[]> {
  // Write each file next to its target first, then rename: a failure leaves no half-written file.
  const staged: [string, string][] = [];
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(outDir, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, content);
    staged.push([tmp, target]);
  }
  for (const [tmp, target] of staged) await fs.rename(tmp, target);
  return staged.map(([, t]) => t);
}

export async function runRender(argv: string[]): Promise<CommandResult> {
  const parsed = parseFlags(argv);
  if (parsed.help) return { code: 0, stdout: renderHelp(), stderr: '' };
  if (parsed.fatal) return { code: 2, stdout: '', stderr: formatErrors(parsed.errors) };
  const errors = [...parsed.errors];
  const checked = checkBootstrap(parsed.options);
  errors.push(...checked.errors);
  if (!parsed.tool.out) {
    errors.push(
      new InputError({ field: 'out', value: undefined, reason: 'a value is required', remedy: 'pass --out <dir>, e.g. --out ./fleet' }),
    );
  }
  if (errors.length > 0) return { code: 2, stdout: '', stderr: formatErrors(errors) };

  try {
    const dist = await loadDistribution({
      version: checked.value!.version,
      source: parsed.tool.distribution,
      cacheDir: parsed.tool.cacheDir,
    });
    const state = desiredState(parsed.options, dist);
    const written = await writeFiles(parsed.tool.out!, state.files);
    const warnings = state.warnings.map((w) => `flux-bootstrap: warning: ${w}\n`).join('');
    return { code: 0, stdout: written.map((w) => `wrote ${w}\n`).join(''), stderr: warnings };
  } catch (err) {
    if (err instanceof InputErrors) return { code: 2, stdout: '', stderr: formatErrors(err.errors) };
    if (err instanceof InputError) return { code: 2, stdout: '', stderr: formatErrors([err]) };
    return { code: 1, stdout: '', stderr: `flux-bootstrap: ${(err as Error).message}\n` };
  }
}
