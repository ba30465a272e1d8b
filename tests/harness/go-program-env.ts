// The environment Go programs are compiled in (a Pulumi Go program, which the Go language host
// builds with `go build -trimpath` before every preview, up and destroy; the Go SDK's `go mod
// tidy`): the machine's toolchain, module proxy and caches, named explicitly so that a test
// that changes HOME or TMPDIR still reuses them. A Pulumi Go program compiles
// github.com/pulumi/pulumi/sdk/v3 and its dependencies (grpc, protobuf, otel, ...): minutes
// with an empty build cache, seconds with a warm one.
import { execFileSync } from 'node:child_process';

interface GoEnv {
  GOVERSION: string;
  GOPROXY: string;
  GOMODCACHE: string;
  GOCACHE: string;
  GOFLAGS: string;
}

let machine: GoEnv | undefined;

/** `go env` of the machine (once per process). */
export function machineGoEnv(): GoEnv {
  machine ??= JSON.parse(
    execFileSync('go', ['env', '-json', 'GOVERSION', 'GOPROXY', 'GOMODCACHE', 'GOCACHE', 'GOFLAGS'], { encoding: 'utf8' }),
  ) as GoEnv;
  return machine;
}

/** The flags the harness compiles its Go tools with beside the host's own -trimpath
 *  (go-build.ts: no optimizer), so a program's build finds the packages they share
 *  (sdk/v3's dependencies) compiled already. Quoted: GOFLAGS splits on spaces. */
export const PROGRAM_GCFLAGS = "'-gcflags=all=-N -l'";

/** base with the Go settings of a program build: the machine's proxy and caches, no toolchain
 *  download, go.mod and go.sum completed as needed (-mod=mod), the harness's compile flags. */
export function goProgramEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const m = machineGoEnv();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  return {
    ...env,
    GOTOOLCHAIN: 'local',
    GOPROXY: m.GOPROXY,
    GOMODCACHE: m.GOMODCACHE,
    GOCACHE: m.GOCACHE,
    GOFLAGS: [m.GOFLAGS, '-mod=mod', PROGRAM_GCFLAGS].filter(Boolean).join(' '),
  };
}
