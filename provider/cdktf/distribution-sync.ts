// Constructs are built synchronously, but the engine loads releases asynchronously (tarballs,
// downloads). loadDistributionSync runs the engine's loader in a child Node process and waits
// for it, so `new FluxBootstrap(...)` can take just a version. The download cache makes every
// synth after the first read the same bytes without a request.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { makeDistribution, type Distribution } from '../distribution/types';
import { DistributionError, InputError, InputErrors } from '../errors';
import type { LoadDistributionOptions } from '../distribution';

type ChildResult =
  | { ok: { version: string; files: Record<string, string>; source: string; digest?: string } }
  | {
      error:
        | { kind: 'InputErrors'; errors: { field: string; value: unknown; reason: string; remedy: string }[] }
        | { kind: 'DistributionError' | 'Error'; message: string };
    };

export function loadDistributionSync(opts: Omit<LoadDistributionOptions, 'fetch'>): Distribution {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'distribution-child.js')], {
    input: JSON.stringify(opts),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const result = JSON.parse(out) as ChildResult;
  if ('ok' in result) return makeDistribution(result.ok.version, result.ok.files, result.ok.source, result.ok.digest);
  const e = result.error;
  if (e.kind === 'InputErrors') throw new InputErrors(e.errors.map((x) => new InputError(x)));
  throw e.kind === 'DistributionError' ? new DistributionError(e.message) : new Error(e.message);
}
