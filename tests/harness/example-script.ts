// Runs a few lines of ES module code beside an example (examples/<name>/, TypeScript that Node
// runs as it is), so jest tests, which run compiled CommonJS, can call the example's own
// functions: the script prints JSON on stdout, which comes back parsed.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { projectRoot } from './flux-reference';

export function exampleScript<T>(example: string, script: string, env: NodeJS.ProcessEnv = process.env): T {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.join(projectRoot(), 'examples', example),
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as T;
}
