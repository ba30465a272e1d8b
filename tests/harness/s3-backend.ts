// Service `s3-backend`: an S3-compatible server for a Pulumi backend that many processes share,
// as CI runners share a bucket. The server is gofakes3 v1.2.0 (an in-memory S3 written in Go)
// behind a small main of ours (s3-server/main.go: a bucket at start, one access-log line per
// request), built from the Go module proxy. Pulumi speaks to it with its own S3 backend code
// (gocloud.dev s3blob on aws-sdk-go-v2): `s3://<bucket>?endpoint=http://127.0.0.1:<port>&...`.
// Plain HTTP on loopback: the SDK then sends whole bodies with their checksum in a header, which
// gofakes3 stores as sent (over HTTPS it would use aws-chunked trailers, which v1.2.0 does not
// decode). gofakes3 checks no signature, so any key pair passes; Pulumi still needs one.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { progress } from './cache';
import { projectRoot } from './flux-reference';
import { goBuild, wrapperModule, type GoBuildSpec } from './go-build';
import { freePort, waitForPort } from './ports';
import { logStart, startProcess, stopRecorded, tail } from './processes';
import type { Service } from './service';

export const GOFAKES3_VERSION = 'v1.2.0';
const SOURCES = () => path.join(projectRoot(), 'tests', 'harness', 's3-server');

export function s3ServerSpec(): GoBuildSpec {
  // a change of our main is a new cache entry
  const hash = createHash('sha256')
    .update(fs.readFileSync(path.join(SOURCES(), 'main.go')))
    .digest('hex')
    .slice(0, 12);
  const spec: GoBuildSpec = {
    name: 'flux-bootstrap-s3',
    version: `gofakes3-${GOFAKES3_VERSION}-${hash}`,
    module: 'github.com/johannesboyne/gofakes3',
    moduleVersion: GOFAKES3_VERSION,
    mainSources: SOURCES(),
    programs: [],
    optimize: true,
  };
  spec.programs.push({ pkg: wrapperModule(spec), out: 'flux-bootstrap-s3' });
  return spec;
}

export function buildS3Server(): string {
  return goBuild(s3ServerSpec()).bin['flux-bootstrap-s3'];
}

export interface S3BackendInfo {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** the bucket made at start; more are made on first use */
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** one line per request: time, method, path and query, status */
  accessLog: string;
}

function layout(workDir: string) {
  return {
    pidFile: path.join(workDir, 'pids', 's3.pid'),
    logFile: path.join(workDir, 's3.log'),
    accessLog: path.join(workDir, 'access.log'),
  };
}

/** The backend URL of `bucket` (optionally a prefix in it), as PULUMI_BACKEND_URL takes it. */
export function s3BackendUrl(info: S3BackendInfo, bucket = info.bucket, prefix?: string): string {
  const q = new URLSearchParams({ endpoint: info.endpoint, s3ForcePathStyle: 'true', region: info.region });
  if (prefix) q.set('prefix', prefix.endsWith('/') ? prefix : `${prefix}/`);
  return `s3://${bucket}?${q.toString()}`;
}

/** What `pulumi` needs beside the URL to use this backend: the SDK's credentials and region. */
export function s3BackendEnv(info: S3BackendInfo, bucket = info.bucket, prefix?: string): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: s3BackendUrl(info, bucket, prefix),
    AWS_ACCESS_KEY_ID: info.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.secretAccessKey,
    AWS_REGION: info.region,
    // no ~/.aws files, no instance metadata lookups; gofakes3 sends no response checksums, and
    // the SDK would warn on stderr at every read that it cannot check one
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/** Keys under `prefix` in `bucket`, read with a plain ListObjectsV2 (no signature needed). */
export async function listKeys(info: S3BackendInfo, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ 'list-type': '2', prefix });
    if (token) q.set('continuation-token', token);
    const res = await fetch(`${info.endpoint}/${bucket}?${q.toString()}`);
    const xml = await res.text();
    if (!res.ok) throw new Error(`listing ${bucket}/${prefix}: ${res.status} ${xml.slice(0, 300)}`);
    for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(m[1].replace(/&amp;/g, '&'));
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<NextContinuationToken>([^<]*)</.exec(xml)?.[1] : undefined;
  } while (token);
  return keys;
}

/** One object's content, or undefined when there is none. */
export async function getObject(info: S3BackendInfo, bucket: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${info.endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`reading ${bucket}/${key}: ${res.status}`);
  return res.text();
}

/** Requests the server answered so far, from its access log ("METHOD path?query status"). */
export function s3Requests(info: Pick<S3BackendInfo, 'accessLog'>, from = 0): { lines: string[]; end: number } {
  if (!fs.existsSync(info.accessLog)) return { lines: [], end: from };
  const text = fs.readFileSync(info.accessLog).subarray(from);
  const whole = text.lastIndexOf(0x0a) + 1;
  const lines = text
    .subarray(0, whole)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(l.indexOf(' ') + 1));
  return { lines, end: from + whole };
}

export const s3BackendService: Service<S3BackendInfo> = {
  name: 's3-backend',
  async start(workDir) {
    const started = Date.now();
    const bin = buildS3Server();
    const { pidFile, logFile, accessLog } = layout(workDir);
    const port = await freePort();
    const bucket = 'pulumi-state';
    const proc = startProcess({
      name: 's3-backend',
      command: bin,
      args: ['-addr', `127.0.0.1:${port}`, '-bucket', bucket, '-access-log', accessLog],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      logFile,
      pidFile,
    });
    logStart(proc);
    try {
      await waitForPort(port, 30_000);
    } catch (e) {
      throw new Error(`the S3 server did not come up: ${(e as Error).message}\n${tail(logFile)}`);
    }
    progress(`s3-backend (gofakes3 ${GOFAKES3_VERSION}) on http://127.0.0.1:${port} ready in ${Date.now() - started} ms`);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region: 'us-east-1',
      accessKeyId: 'flux-bootstrap-harness',
      secretAccessKey: 'flux-bootstrap-harness-secret',
      accessLog,
    };
  },
  build() {
    buildS3Server();
  },
  async stop(workDir) {
    await stopRecorded(layout(workDir).pidFile);
  },
};

// `node dist/tests/harness/s3-backend.js` builds the server ahead of a test run.
if (require.main === module) {
  const t = Date.now();
  const bin = buildS3Server();
  console.log(`${bin} (${Math.round((Date.now() - t) / 1000)} s)`);
}
