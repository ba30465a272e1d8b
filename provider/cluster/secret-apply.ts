// applySecret: create or update the flux-system Secret (ssh or token shape) and the image pull
// secret. Values may arrive wrapped in Secret; they are unwrapped only into the request body.
// stringData is turned into data here, because server-side apply tracks `data` cleanly while
// `stringData` is write-only and would show as drift on every run.
import { Secret } from '../secret';
import { applyObject, target, type ObjectResult } from './apply-object';
import type { Connection } from './connection';
import { ClusterError, statusOf } from './errors';
import { deleteObject } from './prune';
import { describeObject, isRecord, refOf, type KubeObject, type ObjectInput } from './objects';

export interface ApplySecretOptions {
  /** default 'flux' */
  fieldManager?: string;
  dryRun?: boolean;
}

type Values = Record<string, string | Secret<string>>;

/** The Secret with every value revealed and stringData folded into base64 data. Pure. */
export function secretBody(input: ObjectInput): KubeObject {
  const secret = input as unknown as KubeObject;
  if (secret?.kind !== 'Secret' || secret.apiVersion !== 'v1') {
    throw new ClusterError(
      `applySecret got ${secret?.apiVersion}/${secret?.kind}, not a v1 Secret`,
      'pass the Secret built by sourceSecret()',
    );
  }
  const data: Record<string, string> = {};
  const fold = (values: unknown, encode: boolean) => {
    if (values === undefined) return;
    if (!isRecord(values)) throw new ClusterError('Secret data/stringData must be a map of strings', 'pass string values');
    for (const [key, raw] of Object.entries(values as Values)) {
      const value = Secret.unwrap(raw);
      if (typeof value !== 'string') throw new ClusterError(`Secret key ${key} is not a string`, 'pass string values');
      data[key] = encode ? Buffer.from(value, 'utf8').toString('base64') : value;
    }
  };
  fold(secret.data, false);
  fold(secret.stringData, true); // stringData wins over data, as on the server
  const { stringData: _s, data: _d, ...rest } = secret;
  return { ...rest, type: secret.type ?? 'Opaque', data };
}

/**
 * Server-side applies a Secret. A change of `type` (immutable) replaces the Secret. The result
 * never carries the live object, so no secret value travels further.
 */
export async function applySecret(
  conn: Connection,
  secret: ObjectInput,
  options: ApplySecretOptions = {},
): Promise<Omit<ObjectResult, 'live'>> {
  const body = secretBody(secret);
  const opts = { fieldManager: options.fieldManager ?? 'flux', force: true, dryRun: options.dryRun ?? false };
  const strip = ({ live: _live, ...rest }: ObjectResult) => rest;
  try {
    return strip(await applyObject(conn, body, opts));
  } catch (err) {
    if (statusOf(err) !== 422 || !/type/i.test((err as Error).message)) throw err;
    const { path } = await target(conn, body);
    const live = await conn.getOrUndefined<KubeObject>(path);
    if (!live || live.type === body.type) throw err;
    if (opts.dryRun) return { ref: refOf(body), object: describeObject(body), action: 'configured', changes: ['type'] };
    await deleteObject(conn, live);
    const created = strip(await applyObject(conn, body, opts));
    return { ...created, action: 'configured', changes: ['type'] };
  }
}
