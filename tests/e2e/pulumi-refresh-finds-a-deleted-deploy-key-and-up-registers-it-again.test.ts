// harness: github-api, pulumi
// The deploy key lives on the host (issue 14, scenario 5), through the real Pulumi CLI: a
// Repository and a DeployKey on the OpenAPI-checked fake GitHub; someone deletes the key in the
// repository's settings; `pulumi refresh` shows the DeployKey drifted, `pulumi up` registers
// the same key again, and the next preview changes nothing.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { expectNoViolations } from '../harness/fake-api-client';
import type { FakeGitHubInfo } from '../harness/fake-github';
import type { PulumiInfo } from '../harness/pulumi';
import { writeJsProgram } from '../harness/pulumi-js-program';
import { programStack } from '../harness/pulumi-program';
import { harnessInfo } from '../harness/state';

const PROGRAM = `
const fs = require('fs');
const path = require('path');
const pulumi = require('@pulumi/pulumi');
const flux = require('flux-bootstrap/pulumi');
const v = JSON.parse(fs.readFileSync(path.join(__dirname, 'inputs.json'), 'utf8'));
const gh = { host: 'github', owner: v.owner, name: v.repo, token: pulumi.secret(v.token), apiUrl: v.apiUrl, sshHost: v.sshHost };
const repo = new flux.Repository('repo', gh);
const key = new flux.DeployKey('key', { ...gh, title: 'flux-system-main-flux-system-./clusters/prod' }, { dependsOn: repo });
exports.keyId = key.keyId;
exports.publicKey = key.publicKey;
exports.drift = key.drift;
`;

let gh: FakeGitHubInfo;
let stack: Stack;
let tmp: string;
let output = '';
const repo = `drift-${randomBytes(3).toString('hex')}`;
const onOutput = (s: string) => {
  output += s;
};

async function keysOnHost(): Promise<Array<{ id: number; key: string; title: string }>> {
  const res = await fetch(`${gh.apiUrl}/repos/${gh.login}/${repo}/keys`, { headers: { authorization: `token ${gh.token}` } });
  return (await res.json()) as Array<{ id: number; key: string; title: string }>;
}

beforeAll(async () => {
  gh = harnessInfo<FakeGitHubInfo>('github-api');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-key-drift-'));
  const dir = writeJsProgram(path.join(tmp, 'program'), 'key-drift', PROGRAM, {
    owner: gh.login,
    repo,
    token: gh.token,
    apiUrl: gh.apiUrl,
    sshHost: gh.sshHost,
  });
  ({ stack } = await programStack(harnessInfo<PulumiInfo>('pulumi'), dir, repo));
}, 300_000);

afterAll(async () => {
  await stack?.destroy({ onOutput }).catch(() => undefined);
  await stack?.workspace.removeStack(stack.name).catch(() => undefined);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 300_000);

afterEach(async () => expectNoViolations(gh.controlUrl));

test('refresh after the key was deleted on the host shows drift; up registers the same key again; then nothing changes', async () => {
  const first = await stack.up({ onOutput });
  const publicKey = String(first.outputs.publicKey.value);
  const registered = await keysOnHost();
  expect(registered.map((k) => String(k.id))).toEqual([String(first.outputs.keyId.value)]);

  // a clean refresh changes nothing
  expect((await stack.refresh({ onOutput })).summary.resourceChanges).not.toHaveProperty('update');

  // someone deletes the key in the repository's settings
  const del = await fetch(`${gh.apiUrl}/repos/${gh.login}/${repo}/keys/${registered[0].id}`, {
    method: 'DELETE',
    headers: { authorization: `token ${gh.token}` },
  });
  expect(del.status).toBe(204);
  const from = output.length;
  const refreshed = await stack.refresh({ onOutput });
  expect(refreshed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(output.slice(from)).toMatch(
    /drift: deploy key SHA256:\S+ \("flux-system-main-flux-system-\.\/clusters\/prod"\) is no longer registered/,
  );
  expect((await stack.preview({ onOutput })).changeSummary).toMatchObject({ update: 1 });

  const repaired = await stack.up({ onOutput });
  expect(repaired.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(repaired.outputs.publicKey.value).toBe(publicKey); // the same key, registered again
  expect(repaired.outputs.drift.value).toEqual([]);
  const again = await keysOnHost();
  expect(again.map((k) => k.key)).toEqual([publicKey.split(' ').slice(0, 2).join(' ')]);
  expect(String(repaired.outputs.keyId.value)).toBe(String(again[0].id));

  expect(Object.keys((await stack.preview({ onOutput })).changeSummary)).toEqual(['same']);
}, 1_200_000);
