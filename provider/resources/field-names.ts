// The names of the engine options, by group, as plain strings: the resources pick, compare and
// diff their inputs by name on every preview, and the schema behind them (typebox types and
// compiled validators) is the slowest module to load, needed only when something changed. A
// unit test holds these lists equal to the schema's properties.
export const FIELD_NAMES = {
  install: [
    'version',
    'components',
    'componentsExtra',
    'namespace',
    'clusterDomain',
    'networkPolicy',
    'logLevel',
    'watchAllNamespaces',
    'registry',
    'imagePullSecret',
    'registryCredentials',
    'tolerationKeys',
  ],
  sync: ['url', 'branch', 'path', 'interval', 'secretName', 'recurseSubmodules', 'provider', 'kustomization', 'oci'],
  commit: ['authorName', 'authorEmail', 'commitMessageAppendix'],
} as const;
