// Where Flux pulls from once a committed kustomization.yaml patches its sync objects: the patched
// rendering against the plain one (tracked-source.ts). Another branch, a tag (which wins over a
// branch, as in source-controller), a commit (which wins over everything), another path or
// interval are each named; a patch of the controllers alone moves nothing.
import { withCommittedKustomization } from '../../provider/resources/committed-kustomization';
import { renderDesired } from '../../provider/resources/engine-options';
import { sourceMove } from '../../provider/resources/tracked-source';
import { distributionDir } from '../harness/flux-reference';

const OPTIONS = { version: 'v2.9.3', url: 'ssh://git@git.example.com/fleet', path: 'clusters/prod' };
const DIST = { distribution: distributionDir('v2.9.3') };

const kustomization = (patch: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- gotk-components.yaml
- gotk-sync.yaml
patches:
- patch: |
${patch
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;

const onSource = (spec: string) =>
  kustomization(`apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
${spec}`);

async function moveOf(committed: string) {
  const patched = await renderDesired(withCommittedKustomization(OPTIONS, committed), DIST);
  return sourceMove(patched, await renderDesired(OPTIONS, DIST), 'flux-system');
}

test('another branch, a tag over the branch, a commit over everything', async () => {
  expect((await moveOf(onSource('  ref:\n    branch: staging')))?.changes).toEqual(['branch "staging" (not branch "main")']);
  const tag = await moveOf(onSource('  ref:\n    tag: v1.2.0'));
  expect(tag).toMatchObject({ refMoved: true, tracked: { ref: { kind: 'tag', value: 'v1.2.0' } } });
  const commit = await moveOf(onSource('  ref:\n    semver: ">=1.0.0"\n    commit: 0123456789abcdef0123456789abcdef01234567'));
  expect(commit?.tracked.ref.kind).toBe('commit');
});

test('another URL, path or interval is named; a patch of the controllers alone moves nothing', async () => {
  const url = await moveOf(onSource('  url: ssh://git@mirror.example.com/fleet'));
  expect(url).toMatchObject({ refMoved: true, changes: ['url ssh://git@mirror.example.com/fleet (not ssh://git@git.example.com/fleet)'] });
  const path = await moveOf(
    kustomization(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/other
  interval: 5m`),
  );
  expect(path).toMatchObject({ refMoved: false });
  expect(path?.changes).toEqual(['path ./clusters/other (not ./clusters/prod)', 'Kustomization interval 5m (not 10m0s)']);
  const controllers = kustomization(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: source-controller
  namespace: flux-system
spec:
  replicas: 2`);
  expect(await moveOf(controllers)).toBeUndefined();
});

test('CDKTF: the construct applies the patched GitRepository, as Flux does, and says at synth where Flux will pull from', async () => {
  const { baseProps, synthFlux } = await import('./support/cdktf');
  const { distribution } = await import('./support/reference');
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  let json;
  try {
    ({ json } = synthFlux(
      baseProps(await distribution('v2.9.3'), { kustomization: { content: onSource('  ref:\n    branch: staging') } }),
    ));
  } finally {
    spy.mockRestore();
  }
  const source = Object.entries(json.resource.kubectl_manifest).find(([id]) => /^flux_gitrepository-/.test(id))?.[1] as {
    yaml_body: string;
  };
  expect(source.yaml_body).toMatch(/ref:\n\s+branch: staging\n/);
  expect(written.join('')).toContain('flux-bootstrap: Flux will pull from branch "staging" (not branch "main")');
});
