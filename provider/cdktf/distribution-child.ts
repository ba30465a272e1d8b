// Child side of loadDistributionSync: reads the load options as JSON on stdin, loads the release
// with the engine's (async) loader and writes the result, or the error, as JSON on stdout.
import { loadDistribution, type LoadDistributionOptions } from '../distribution';
import { InputErrors } from '../errors';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // written by loadDistributionSync (distribution-sync.ts), the parent
  const opts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadDistributionOptions;
  try {
    const d = await loadDistribution(opts);
    process.stdout.write(JSON.stringify({ ok: { version: d.version, files: d.files, source: d.source, digest: d.digest } }));
  } catch (e) {
    const error =
      e instanceof InputErrors
        ? { kind: 'InputErrors', errors: e.errors.map((x) => ({ field: x.field, value: x.value, reason: x.reason, remedy: x.remedy })) }
        : { kind: (e as Error).name === 'DistributionError' ? 'DistributionError' : 'Error', message: (e as Error).message };
    process.stdout.write(JSON.stringify({ error }));
  }
}

void main();
