// Progress of one cluster's stack, as lines on stderr (a CI log has no terminal): what starts and
// ends, the provider's own progress messages, and every 30 s a line naming what it still waits
// for, so a long wait (controllers rolling out, a slow API server) never looks like a hang.
import type * as pulumi from '@pulumi/pulumi';
type EngineEvent = pulumi.automation.EngineEvent;

const QUIET_OPS = new Set(['same', 'read', 'refresh']);

export interface Progress {
  /** handed to the stack as its onEvent callback: needs no `this` */
  onEvent: (e: EngineEvent) => void;
  /** error messages the engine reported (diagnostics of severity error), first one first */
  errors: string[];
  events: EngineEvent[];
  stop(): void;
}

function shortName(urn: string): string {
  const parts = urn.split('::');
  const type = (parts[2] ?? '').split('$').pop() ?? '';
  return `${type.replace('pulumi-nodejs:dynamic/', '')} ${parts[3] ?? ''}`.trim();
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

export function trackProgress(cluster: string, action: string, write: (line: string) => void, everyMs = 30_000): Progress {
  const started = Date.now();
  const inFlight = new Map<string, number>();
  const errors: string[] = [];
  const events: EngineEvent[] = [];
  const say = (msg: string) => write(`[${cluster}] ${msg}`);
  say(`${action} started`);
  const timer = setInterval(() => {
    const waiting = [...inFlight].map(([urn, t]) => `${shortName(urn)} (${seconds(Date.now() - t)})`);
    say(`${action} still running after ${seconds(Date.now() - started)}${waiting.length ? `: ${waiting.join(', ')}` : ''}`);
  }, everyMs);
  timer.unref();
  return {
    errors,
    events,
    onEvent(e) {
      events.push(e);
      const pre = e.resourcePreEvent?.metadata;
      if (pre && !QUIET_OPS.has(pre.op) && pre.type !== 'pulumi:pulumi:Stack') {
        inFlight.set(pre.urn, Date.now());
        if (action !== 'preview') say(`${pre.op} ${shortName(pre.urn)}`);
      }
      const done = e.resOutputsEvent?.metadata;
      if (done && inFlight.has(done.urn)) {
        if (action !== 'preview')
          say(`${done.op} ${shortName(done.urn)} done in ${seconds(Date.now() - (inFlight.get(done.urn) ?? started))}`);
        inFlight.delete(done.urn);
      }
      const failed = e.resOpFailedEvent?.metadata;
      if (failed) inFlight.delete(failed.urn);
      const diag = e.diagnosticEvent;
      if (diag) {
        const text = diag.message.replace(/\u001b\[[0-9;]*m/g, '').trim();
        if (diag.severity === 'error') {
          // the engine's closing "update failed" line says nothing the first error did not
          if (!/^update failed$|^preview failed$/.test(text)) errors.push(diag.urn ? `${shortName(diag.urn)}: ${text}` : text);
        } else if (text.startsWith('flux-bootstrap ')) say(text);
      }
    },
    stop() {
      clearInterval(timer);
      say(`${action} ended after ${seconds(Date.now() - started)}`);
    },
  };
}
