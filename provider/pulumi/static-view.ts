// What of a Pulumi input is known while the program runs: plain values as they are, Outputs and
// promises as the preview-unknown marker, so the same checks serve construction and `check`.
import * as pulumi from '@pulumi/pulumi';
import { UNKNOWN } from '../resources/common';

export function staticView(v: unknown): unknown {
  if (pulumi.Output.isInstance(v) || (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function'))
    return UNKNOWN;
  if (Array.isArray(v)) return v.map(staticView);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, staticView(x)]),
    );
  }
  return v;
}
