// The upsert rule every API host shares: same title and key (comment ignored) and access: keep;
// otherwise remove what holds the title or the key, then create.
import { InputError } from '../../../provider/errors';
import { planUpsert, publicKeyId } from '../../../provider/hosts/deploy-keys';
import { resolveVisibility } from '../../../provider/hosts/visibility';

const K1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbXq7J0y6TqEtuo9X7w3gFJ0Ls1xB7Q4s3cNl3d9QzA';
const K2 = 'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBFakeKeyMaterial0123456789==';
const reg = (id: string, title: string, key: string, readOnly = true) => ({ id, title, key, readOnly });

test('publicKeyId keeps type and key material, drops the comment, and refuses anything else', () => {
  expect(publicKeyId(`${K1} flux@cluster`)).toBe(K1);
  expect(publicKeyId(`  ${K2}\n`)).toBe(K2);
  expect(() => publicKeyId('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...')).toThrow(InputError);
  expect(() => publicKeyId('ssh-ed25519')).toThrow(/is not an OpenSSH public key.*Fix: /);
});

test('the same title, key and access is kept as it is', () => {
  const existing = [reg('1', 't', `${K1} old-comment`), reg('2', 'other', K2)];
  expect(planUpsert(existing, { title: 't', publicKey: `${K1} new-comment`, readOnly: true })).toEqual({ keep: existing[0], remove: [] });
});

test('the same title with another key, or other access, is replaced', () => {
  expect(planUpsert([reg('1', 't', K1)], { title: 't', publicKey: K2, readOnly: true })).toEqual({ remove: [reg('1', 't', K1)] });
  expect(planUpsert([reg('1', 't', K1)], { title: 't', publicKey: K1, readOnly: false })).toEqual({ remove: [reg('1', 't', K1)] });
});

test('the same key under another title is moved (hosts accept a key once per repository)', () => {
  expect(planUpsert([reg('1', 'old-title', K1), reg('2', 'x', K2)], { title: 'new', publicKey: K1, readOnly: true })).toEqual({
    remove: [reg('1', 'old-title', K1)],
  });
});

test('nothing registered: nothing to remove, create', () => {
  expect(planUpsert([], { title: 't', publicKey: K1, readOnly: true })).toEqual({ remove: [] });
});

test('visibility defaults to private like flux, and internal is only offered where it exists', () => {
  expect(resolveVisibility({}, ['private', 'public'])).toBe('private');
  expect(resolveVisibility({ private: false }, ['private', 'public'])).toBe('public');
  expect(resolveVisibility({ private: false, visibility: 'internal' }, ['private', 'internal', 'public'])).toBe('internal');
  expect(() => resolveVisibility({ visibility: 'internal' }, ['private', 'public'])).toThrow(
    /invalid visibility "internal".*Fix: .*use "private"/,
  );
});
