// Watches the repository and the cluster while `pulumi up` runs (every 100 ms) and records when
// each stage was first seen, to split the time from `up` start to Kustomization Ready into the
// provider's work and the Flux controllers' reconciliation:
//
//   start ─ pushed ─ handed over ─ GitRepository Ready ─ Kustomization Ready ─ up returned
//   └──── provider work ───────┘└──────── controller reconciliation ───────┘└─ wait tail ─┘
//
// "Handed over" is the provider's last write Flux reacts to: the GitRepository created (first
// install) or changed (spec, or the reconcile.fluxcd.io/requestedAt annotation); when the
// provider changes neither, the push itself.
import type { EngineEvent } from '@pulumi/pulumi/automation';
import { fluxStatus, gitRepositoryPath, readyAt, type FluxStatus } from './flux-status';
import type { KubeRest } from './kube-rest';

export interface Timings {
  /** ms from up start; null when not seen */
  pushedMs: number | null;
  handedOverMs: number | null;
  gitRepositoryReadyMs: number | null;
  kustomizationReadyMs: number | null;
  upMs: number;
  /** handedOver (or pushed) */
  providerMs: number | null;
  /** handedOver -> Kustomization Ready */
  reconcileMs: number | null;
  /** Kustomization Ready -> up returned: the provider noticing, and Pulumi finishing */
  tailMs: number | null;
  /** what handedOver was: 'created', 'changed' or 'push' */
  handover: string;
  /** the first engine event (the CLI started, the program is about to run) */
  engineStartedMs: number | null;
  /** per resource the engine stepped (not the `same` ones): op and ms from up start */
  steps: { name: string; op: string; startMs: number; endMs: number | null }[];
}

interface Sample {
  at: number;
  head: string | null;
  fingerprint: string | null;
  status: FluxStatus;
}

export class UpTimeline {
  private readonly samples: Sample[] = [];
  private startedAt = 0;
  private stoppedAt = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private initial: Sample | null = null;
  private firstEventAt = 0;
  private readonly steps = new Map<string, { name: string; op: string; start: number; end: number | null }>();

  constructor(
    private readonly rest: KubeRest,
    private readonly namespace: string,
    private readonly head: () => string | null,
  ) {}

  private async sample(): Promise<Sample> {
    const at = Date.now();
    const repo = await this.rest.get(gitRepositoryPath(this.namespace)).catch(() => null);
    // what the provider writes, not what the controllers write (status)
    const fingerprint = repo
      ? JSON.stringify([
          repo.metadata?.uid,
          repo.metadata?.generation,
          repo.metadata?.annotations?.['reconcile.fluxcd.io/requestedAt'] ?? null,
        ])
      : null;
    const status = await fluxStatus(this.rest, this.namespace);
    return { at, head: this.head(), fingerprint, status };
  }

  async start(): Promise<void> {
    this.initial = await this.sample();
    this.startedAt = Date.now();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          this.samples.push(await this.sample());
        } catch {
          /* a failed read is a missing sample */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  }

  /** For `stack.up({ onEvent })`: records when each resource step started and ended. */
  readonly onEvent = (e: EngineEvent): void => {
    const now = Date.now();
    if (!this.firstEventAt) this.firstEventAt = now;
    const pre = e.resourcePreEvent?.metadata;
    if (pre && pre.op !== 'same' && pre.type !== 'pulumi:pulumi:Stack') {
      this.steps.set(pre.urn, { name: `${pre.type.split(':').pop()}`, op: pre.op, start: now, end: null });
    }
    const done = e.resOutputsEvent?.metadata;
    const step = done ? this.steps.get(done.urn) : undefined;
    if (step) step.end = now;
  };

  stop(): void {
    this.stoppedAt = Date.now();
    this.running = false;
  }

  /** Waits for the sampling loop to end. */
  async settled(): Promise<void> {
    await this.loop;
  }

  timings(revision: string): Timings {
    const rel = (s: Sample | undefined) => (s ? s.at - this.startedAt : null);
    const initial = this.initial!;
    const pushed = this.samples.find((s) => s.head !== initial.head && s.head !== null);
    const changed = this.samples.find((s) => s.fingerprint !== null && s.fingerprint !== initial.fingerprint);
    const handover = changed ? (initial.fingerprint === null ? 'created' : 'changed') : 'push';
    const handedOver = changed ?? pushed;
    const repoReady = this.samples.find((s) => readyAt(s.status.gitRepository, revision));
    const ksReady = this.samples.find((s) => readyAt(s.status.gitRepository, revision) && readyAt(s.status.kustomization, revision));
    const upMs = this.stoppedAt - this.startedAt;
    const h = rel(handedOver);
    const k = rel(ksReady);
    return {
      pushedMs: rel(pushed),
      handedOverMs: h,
      gitRepositoryReadyMs: rel(repoReady),
      kustomizationReadyMs: k,
      upMs,
      providerMs: h,
      reconcileMs: h !== null && k !== null ? k - h : null,
      tailMs: k !== null ? upMs - k : null,
      handover,
      engineStartedMs: this.firstEventAt ? this.firstEventAt - this.startedAt : null,
      steps: [...this.steps.values()].map((x) => ({
        name: x.name,
        op: x.op,
        startMs: x.start - this.startedAt,
        endMs: x.end === null ? null : x.end - this.startedAt,
      })),
    };
  }
}

export function formatTimings(t: Timings): string {
  const s = (ms: number | null) => (ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`);
  return (
    `up ${s(t.upMs)}: provider work ${s(t.providerMs)} (pushed at ${s(t.pushedMs)}, handed over to Flux at ${s(t.handedOverMs)}: ${t.handover}), ` +
    `controller reconciliation ${s(t.reconcileMs)} (GitRepository Ready at ${s(t.gitRepositoryReadyMs)}, Kustomization Ready at ${s(t.kustomizationReadyMs)}), ` +
    `then ${s(t.tailMs)} until up returned; engine events from ${s(t.engineStartedMs)}; ` +
    t.steps.map((x) => `${x.name} ${x.op} ${s(x.startMs)}..${s(x.endMs)}`).join(', ')
  );
}
