// Child side of loadOperatorSync: the operator module (module.ts, asynchronous: a download,
// a zip) loaded in a child process, so a construct can render it at synth; the options as JSON
// on stdin, the operator's objects and the Flux releases it carries as JSON on stdout.
import { operatorObjects } from '../operator/install-manifests';
import { loadOperatorModule, type LoadOperatorOptions } from '../operator/module';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const opts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadOperatorOptions & { namespace?: string };
  try {
    const m = await loadOperatorModule(opts);
    process.stdout.write(JSON.stringify({ ok: { objects: operatorObjects(m, { namespace: opts.namespace }), releases: m.releases } }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: (e as Error).message }));
  }
}

void main();
