// Construct hands Bootstrap its inputs as Outputs whenever a secret is inside them (Pulumi marks
// the whole `repository` object secret for its token). Bootstrap reads plain fields (the host)
// at construction, so the plugin gives it the object with only the secret fields secret.
import * as pulumi from '@pulumi/pulumi';
import { componentInputs } from '../../../provider/plugin/construct';

type Internals = { isSecret: Promise<boolean>; promise(): Promise<unknown> };
const secretOf = async (o: unknown) => (o as Internals).isSecret;
const valueOf = async (o: unknown) => (o as Internals).promise();

test('a secret repository object comes back plain, with the token and push credentials secret', async () => {
  const repository = pulumi.secret({ host: 'git', url: 'ssh://git@h/fleet', push: { privateKey: 'k' } });
  const got = (await componentInputs({ repository, version: 'v2.9.3' })) as Record<string, any>;
  expect(got.version).toBe('v2.9.3');
  expect(got.repository.host).toBe('git');
  expect(got.repository.url).toBe('ssh://git@h/fleet');
  expect(pulumi.Output.isInstance(got.repository.push)).toBe(true);
  expect(await secretOf(got.repository.push)).toBe(true);
  expect(await valueOf(got.repository.push)).toEqual({ privateKey: 'k' });
});

test('a secret scalar stays a secret Output; a plain Output is unwrapped', async () => {
  const got = (await componentInputs({ cluster: pulumi.secret({ kubeconfig: 'x' }), path: pulumi.output('clusters/prod') })) as Record<
    string,
    any
  >;
  expect(await secretOf(got.cluster)).toBe(true);
  expect(await valueOf(got.cluster)).toEqual({ kubeconfig: 'x' });
  expect(got.path).toBe('clusters/prod');
});
