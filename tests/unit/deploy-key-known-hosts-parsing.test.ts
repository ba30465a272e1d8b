// known_hosts validation and host matching, as OpenSSH reads the file: plain and [host]:port
// names, patterns, negation, hashed names (ssh-keygen -H), markers, comments.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { entriesFor, generateDeployKey, KeyError, knownHostsName, parseKnownHosts } from '../../provider/keys';

const ed = generateDeployKey().publicKey;
const ec = generateDeployKey({ algorithm: 'ecdsa', curve: 'p256' }).publicKey;

test('parses lines, skipping comments and blanks, dropping comments at the end of lines', () => {
  const text = `# comment\n\n[127.0.0.1]:2222 ${ed} host comment\ngithub.com,140.82.121.4 ${ec}\r\n`;
  const entries = parseKnownHosts(text);
  expect(entries).toHaveLength(2);
  expect(entries[0]).toMatchObject({ hosts: ['[127.0.0.1]:2222'], keyType: 'ssh-ed25519', line: `[127.0.0.1]:2222 ${ed}` });
  expect(entries[1].hosts).toEqual(['github.com', '140.82.121.4']);
  expect(entries[1].fingerprint).toMatch(/^SHA256:/);
});

test('fingerprints equal ssh-keygen -lf of the same known_hosts file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-'));
  try {
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `example.com ${ed}\n`);
    const fp = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).split(' ')[1];
    expect(parseKnownHosts(fs.readFileSync(file, 'utf8'))[0].fingerprint).toBe(fp);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('matches host names the way ssh looks them up', () => {
  const entries = parseKnownHosts(
    [`[127.0.0.1]:2222 ${ed}`, `*.example.com,!evil.example.com ${ec}`, `@revoked gitlab.com ${ed}`, `gitlab.com ${ec}`].join('\n'),
  );
  expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  expect(knownHostsName('github.com', 22)).toBe('github.com');
  expect(entriesFor(entries, '127.0.0.1', 2222)).toHaveLength(1);
  expect(entriesFor(entries, '127.0.0.1', 22)).toHaveLength(0);
  expect(entriesFor(entries, 'git.example.com')).toHaveLength(1);
  expect(entriesFor(entries, 'evil.example.com')).toHaveLength(0);
  expect(entriesFor(entries, 'gitlab.com').map((e) => e.keyType)).toEqual(['ecdsa-sha2-nistp256']);
});

test('hashed host names (ssh-keygen -H) match', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-'));
  try {
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `[git.internal]:2222 ${ed}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(fs.readFileSync(file, 'utf8'));
    expect(entries[0].hosts[0]).toMatch(/^\|1\|/);
    expect(entriesFor(entries, 'git.internal', 2222)).toHaveLength(1);
    expect(entriesFor(entries, 'git.internal', 22)).toHaveLength(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.each([
  ['empty', '', /has no host key/],
  ['only comments', '# nothing\n', /has no host key/],
  ['missing key', 'github.com ssh-ed25519', /line 1 needs host, key type and key/],
  ['bad base64', 'github.com ssh-ed25519 not*base64', /line 1: the key is not a valid ssh-ed25519 key/],
  ['type mismatch', `github.com ssh-rsa ${ed.split(' ')[1]}`, /key type ssh-rsa does not match the key \(ssh-ed25519\)/],
  ['bad port form', `[github.com ${ed}`, /bad host pattern/],
  ['unknown marker', `@trusted github.com ${ed}`, /unknown marker @trusted/],
])('%s is refused with the line and a remedy', (_n, text, message) => {
  expect(() => parseKnownHosts(text)).toThrow(KeyError);
  expect(() => parseKnownHosts(text)).toThrow(message);
  expect(() => parseKnownHosts(text)).toThrow(/Fix: /);
});
