// The "openssh-key-v1" private key format (OpenSSH PROTOCOL.key), unencrypted. We write it
// because OpenSSH 9.x's `ssh -i` cannot load PKCS#8 ed25519 keys, while both OpenSSH and
// Flux (golang.org/x/crypto/ssh) read this format for every key type.
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { CURVES, curveFromSsh, parsePublicBlob, publicBlobOf, type SshPublicBlob } from './public-key';
import { b64url, padTo, sshMpint, sshString, u32, WireReader } from './ssh-wire';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

export function isOpenSSHPem(pem: string): boolean {
  return pem.includes(BEGIN);
}

/** Unencrypted OpenSSH PEM of a private KeyObject. */
export function encodeOpenSSHPrivateKey(key: KeyObject, comment = ''): string {
  if (key.type !== 'private') throw new Error('not a private key');
  const pub = publicBlobOf(key);
  const jwk = key.export({ format: 'jwk' });
  let fields: Buffer[];
  switch (pub.algorithm) {
    case 'ed25519': {
      const seed = b64url(jwk.d!);
      const pk = b64url(jwk.x!);
      fields = [sshString(pub.sshType), sshString(pk), sshString(Buffer.concat([seed, pk]))];
      break;
    }
    case 'ecdsa': {
      const c = CURVES[pub.curve!];
      const point = Buffer.concat([Buffer.from([4]), b64url(jwk.x!), b64url(jwk.y!)]);
      fields = [sshString(pub.sshType), sshString(c.ssh), sshString(point), sshMpint(b64url(jwk.d!))];
      break;
    }
    case 'rsa':
      fields = [
        sshString(pub.sshType),
        sshMpint(b64url(jwk.n!)),
        sshMpint(b64url(jwk.e!)),
        sshMpint(b64url(jwk.d!)),
        sshMpint(b64url(jwk.qi!)),
        sshMpint(b64url(jwk.p!)),
        sshMpint(b64url(jwk.q!)),
      ];
      break;
  }
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, ...fields, sshString(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([MAGIC, sshString('none'), sshString('none'), sshString(''), u32(1), sshString(pub.blob), sshString(priv)]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

export interface DecodedOpenSSH {
  /** Always readable: OpenSSH stores the public key in the clear. */
  publicBlob: SshPublicBlob;
  encrypted: boolean;
  /** Present when the key is not encrypted. */
  privateKey?: KeyObject;
}

export function decodeOpenSSHPrivateKey(pem: string): DecodedOpenSSH {
  const start = pem.indexOf(BEGIN);
  const end = pem.indexOf(END, start);
  if (start < 0 || end < 0) throw new Error('not an OpenSSH private key (missing BEGIN/END lines)');
  const body = Buffer.from(pem.slice(start + BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  if (!body.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an openssh-key-v1 key');
  const r = new WireReader(body.subarray(MAGIC.length));
  const cipher = r.text();
  const kdf = r.text();
  r.bytes(); // kdf options
  const count = r.uint32();
  if (count !== 1) throw new Error(`the key file holds ${count} keys; give exactly one`);
  const publicBlob = parsePublicBlob(r.bytes());
  const privSection = r.bytes();
  const encrypted = cipher !== 'none' || kdf !== 'none';
  if (encrypted) return { publicBlob, encrypted };

  const p = new WireReader(privSection);
  if (p.uint32() !== p.uint32()) throw new Error('corrupt OpenSSH private key (check bytes differ)');
  const type = p.text();
  if (type !== publicBlob.sshType) throw new Error('corrupt OpenSSH private key (type mismatch)');
  return { publicBlob, encrypted, privateKey: privateFromFields(type, p) };
}

function privateFromFields(type: string, p: WireReader): KeyObject {
  const b64 = (b: Buffer) => b.toString('base64url');
  if (type === 'ssh-ed25519') {
    const pk = p.bytes();
    const sk = p.bytes();
    return createPrivateKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: b64(pk), d: b64(sk.subarray(0, 32)) } });
  }
  if (type.startsWith('ecdsa-sha2-')) {
    const curve = CURVES[curveFromSsh(p.text())];
    const point = p.bytes();
    const d = p.mpint();
    if (point[0] !== 4 || point.length !== 1 + 2 * curve.bytes) throw new Error('unsupported ECDSA point encoding');
    const x = point.subarray(1, 1 + curve.bytes);
    const y = point.subarray(1 + curve.bytes);
    return createPrivateKey({ format: 'jwk', key: { kty: 'EC', crv: curve.jwk, x: b64(x), y: b64(y), d: b64(padTo(d, curve.bytes)) } });
  }
  if (type === 'ssh-rsa') {
    const [n, e, d, iqmp, pp, q] = [p.mpint(), p.mpint(), p.mpint(), p.mpint(), p.mpint(), p.mpint()];
    const big = (b: Buffer) => BigInt('0x' + (b.toString('hex') || '0'));
    const mag = (v: bigint) => {
      let h = v.toString(16);
      if (h.length % 2) h = '0' + h;
      return Buffer.from(h, 'hex');
    };
    const dp = big(d) % (big(pp) - 1n);
    const dq = big(d) % (big(q) - 1n);
    return createPrivateKey({
      format: 'jwk',
      key: { kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(pp), q: b64(q), dp: b64(mag(dp)), dq: b64(mag(dq)), qi: b64(iqmp) },
    });
  }
  throw new Error(`unsupported SSH key type ${type}`);
}
