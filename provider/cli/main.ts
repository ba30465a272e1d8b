#!/usr/bin/env node
// flux-bootstrap command line: `flux-bootstrap render ...` (see --help).
import { renderHelp } from './help';
import { runRender, type CommandResult } from './render';

const USAGE = 'Usage: flux-bootstrap render [flags]   (flux-bootstrap render --help for the flags)\n';

export async function main(argv: string[]): Promise<CommandResult> {
  const [command, ...rest] = argv;
  if (command === 'render') return runRender(rest);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { code: 0, stdout: USAGE + '\n' + renderHelp(), stderr: '' };
  }
  return { code: 2, stdout: '', stderr: `flux-bootstrap: unknown command ${JSON.stringify(command)}. Fix: use "render".\n${USAGE}` };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (r) => {
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      process.exitCode = r.code;
    },
    (err: unknown) => {
      process.stderr.write(`flux-bootstrap: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
