// The oci://<registry>/<repository>:<tag> sync url: recognised, split and checked. Plain code,
// no typebox: the engine's renderers and an unchanged preview use it without loading the schema.
import { InputError } from '../provider/errors';

export const OCI_SCHEME = 'oci://';

/** oci://host[:port]/lowercase/path:tag, the tag required (Flux follows one tag). */
const OCI_URL =
  /^oci:\/\/([a-zA-Z0-9.-]+(?::\d{1,5})?)\/([a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$/;

export interface OciUrlParts {
  registry: string;
  repository: string;
  tag?: string;
}

export function isOciUrl(url: unknown): boolean {
  return typeof url === 'string' && url.startsWith(OCI_SCHEME);
}

export function splitOciUrl(url: string): OciUrlParts | undefined {
  const m = OCI_URL.exec(url);
  return m ? { registry: m[1], repository: m[2], tag: m[3] } : undefined;
}

/** The url's problems, as errors on `field` naming the value and the fix. */
export function checkOciUrl(url: string, errors: InputError[], field = 'url'): void {
  const parts = splitOciUrl(url);
  if (!parts) {
    errors.push(
      new InputError({
        field,
        value: url,
        reason:
          'must be oci://<registry>[:<port>]/<repository>:<tag>, with a lowercase repository path (letters, digits, ".", "_", "-" between them)',
        remedy: 'use e.g. "oci://ghcr.io/acme/fleet-manifests:production"',
      }),
    );
  } else if (parts.tag === undefined) {
    errors.push(
      new InputError({
        field,
        value: url,
        reason: 'has no tag: the artifact is pushed to, and Flux follows, one tag',
        remedy: `add the tag, e.g. "${url}:production"`,
      }),
    );
  }
}
