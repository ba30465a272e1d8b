// Bootstrap with an oci:// url (gitless): OciSyncManifests then ControllerInstall, no Repository,
// DeployKey or SyncManifests; the install waits for the pushed digest and pulls with `pull`
// (default `auth`), both secret; Git-only inputs and a url unknown at construction are refused.
import * as pulumi from '@pulumi/pulumi';
import { Bootstrap, type BootstrapArgs } from '../../provider/pulumi';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, digest: args.type.endsWith(':OciSyncManifests') ? 'sha256:d1' : undefined },
        };
      },
      call: () => ({}),
    },
    'project',
    'stack',
    false,
  );
});

const OCI: BootstrapArgs = {
  url: 'oci://registry.example.com/fleet/prod:cluster',
  artifactRegistry: { auth: { username: 'pusher', password: 'push-pw' }, pull: { username: 'reader', password: 'read-pw' } },
  path: 'clusters/prod',
  version: 'v2.9.3',
  cluster: { kubeconfig: 'apiVersion: v1' },
};
const settled = (o: pulumi.Output<unknown>) => new Promise((resolve) => o.apply(resolve));
const secret = (value: unknown) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value });

test('the artifact, then the install at its digest, with the pull credentials; nothing on Git', async () => {
  const b = new Bootstrap('oci', OCI);
  await settled(pulumi.all([b.install.urn, b.commit]));
  const mine = registered.filter((r) => r.name.startsWith('oci'));
  expect(mine.map((r) => r.type)).toEqual([
    'flux-bootstrap:index:Bootstrap',
    'pulumi-nodejs:dynamic/flux-bootstrap:OciSyncManifests',
    'pulumi-nodejs:dynamic/flux-bootstrap:ControllerInstall',
  ]);
  const [, artifact, install] = mine;
  expect(artifact.inputs).toMatchObject({ url: OCI.url, path: 'clusters/prod', auth: secret({ username: 'pusher', password: 'push-pw' }) });
  expect(install.inputs).toMatchObject({
    url: OCI.url,
    commit: 'sha256:d1',
    credentials: secret({ username: 'reader', password: 'read-pw' }),
  });
  expect(await settled(b.commit)).toBe('sha256:d1');
  expect(b.repository).toBeUndefined();
  expect(b.artifact).toBeDefined();
});

test('Git-only inputs and a url only known later are refused at construction, with the fix', () => {
  expect(() => new Bootstrap('bad', { ...OCI, repository: { host: 'github', owner: 'acme', name: 'fleet' } })).toThrow(
    'invalid repository [secret]: is a Git setting, but url is oci:// (gitless: the manifests go to the registry). Fix: remove repository, or give a Git url.',
  );
  expect(() => new Bootstrap('later', { ...OCI, url: pulumi.output(OCI.url as string) })).toThrow(
    /^missing url: is not known at construction.*Fix: pass the oci:\/\/<registry>\/<repository>:<tag> url as a plain string, not an Output\.$/,
  );
  expect(() => new Bootstrap('notag', { ...OCI, url: 'oci://registry.example.com/fleet/prod' })).toThrow(/invalid url .*has no tag/);
});
