// The three files flux bootstrap writes, by name alone: what compares and diffs them needs no
// generator (and so no YAML emitter) loaded.
export const COMPONENTS_FILE = 'gotk-components.yaml';
export const SYNC_FILE = 'gotk-sync.yaml';
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
