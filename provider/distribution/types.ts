// The release manifests of one Flux version, as `flux bootstrap` downloads them.
import { DistributionError } from '../errors';

export interface Distribution {
  /** The release these manifests belong to, e.g. "v2.9.3" ("latest" is resolved before this point). */
  readonly version: string;
  /** File name -> YAML text: one `<component>.yaml` per controller, plus rbac.yaml and policies.yaml. */
  readonly files: Readonly<Record<string, string>>;
  /** "sha256:<hex>" of the manifests.tar.gz it was read from, when it came from one. */
  readonly digest?: string;
  /** Where it was read from, for messages. */
  readonly source: string;
}

/** Files every release has besides the component manifests. */
export const SUPPORT_FILES = ['rbac.yaml', 'policies.yaml'] as const;

/** Component names this distribution ships (files other than rbac.yaml and policies.yaml). */
export function availableComponents(dist: Distribution): string[] {
  return Object.keys(dist.files)
    .filter((f) => f.endsWith('.yaml') && !(SUPPORT_FILES as readonly string[]).includes(f))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Checks the shape and freezes it; every loader ends here. */
export function makeDistribution(version: string, files: Record<string, string>, source: string, digest?: string): Distribution {
  for (const required of SUPPORT_FILES) {
    if (typeof files[required] !== 'string') {
      throw new DistributionError(
        `${source} is not a Flux release: ${required} is missing (expected ${SUPPORT_FILES.join(', ')} and one <component>.yaml per controller)`,
      );
    }
  }
  const dist: Distribution = { version, files: Object.freeze({ ...files }), source, ...(digest ? { digest } : {}) };
  if (availableComponents(dist).length === 0) {
    throw new DistributionError(`${source} is not a Flux release: it has no <component>.yaml files`);
  }
  return Object.freeze(dist);
}
