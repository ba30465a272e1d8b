// What the landing zone left in the shared S3 backend, read straight from the server: lock
// files, and each stack's checkpoint (its resources, the operations a killed run left pending,
// the secrets provider).
import { getObject, listKeys, type S3BackendInfo } from '../../harness/s3-backend';

export interface StackCheckpoint {
  name: string;
  resources: number;
  pending: { type: string; urn: string }[];
  secretsProvider?: string;
  /** the checkpoint as stored */
  text: string;
}

export const lockFiles = (s3: S3BackendInfo, bucket: string) => listKeys(s3, bucket, '.pulumi/locks/');

export async function checkpoints(s3: S3BackendInfo, bucket: string, project: string): Promise<StackCheckpoint[]> {
  const prefix = `.pulumi/stacks/${project}/`;
  const keys = (await listKeys(s3, bucket, prefix)).filter((k) => k.endsWith('.json') && !k.slice(prefix.length).includes('/'));
  return Promise.all(
    keys.map(async (key) => {
      const text = (await getObject(s3, bucket, key)) ?? '';
      const latest =
        (
          JSON.parse(text) as {
            checkpoint?: {
              latest?: {
                resources?: unknown[];
                pending_operations?: { type: string; resource: { urn: string } }[];
                secrets_providers?: { type?: string };
              };
            };
          }
        ).checkpoint?.latest ?? {};
      return {
        name: key.slice(prefix.length, -'.json'.length),
        resources: latest.resources?.length ?? 0,
        pending: (latest.pending_operations ?? []).map((o) => ({ type: o.type, urn: o.resource.urn })),
        secretsProvider: latest.secrets_providers?.type,
        text,
      };
    }),
  );
}
