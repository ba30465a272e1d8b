// Deploy keys: generation, parsing of user keys, known_hosts scanning and validation.
export { KeyError } from './key-error';
export { generateDeployKey, type DeployKey, type DeployKeyOptions } from './generate';
export { parsePrivateKey, type ParsedPrivateKey, type PrivateKeyFormat } from './parse';
export { unlockPrivateKey, type UnlockedKey } from './unlock';
export { encodeOpenSSHPrivateKey, decodeOpenSSHPrivateKey } from './openssh-format';
export { fingerprintOf, publicKeyInfo, type KeyAlgorithm, type EcdsaCurve, type PublicKeyInfo } from './public-key';
export { parseKnownHosts, entriesFor, knownHostsName, type KnownHostEntry } from './known-hosts';
export { scanKnownHosts, type ScanOptions } from './scan';
export { checkPinnedHostKey, type PinCheck } from './host-key-pin';
