// What both constructs compute at synth time, before they join the construct tree: the
// engine's desired state for the props (release loaded synchronously) and its staged objects.
import type { Distribution } from '../distribution/types';
import { desiredState, type DesiredState } from '../desired-state';
import { moveNotice, sourceMove, type SourceMove } from '../resources/tracked-source';
import { loadDistributionSync } from './distribution-sync';
import type { FluxEngineProps } from './props';
import { stageObjects, type StagedObject } from './stages';
import { engineOptions, isToken } from './validate';

export interface Rendered {
  options: Record<string, unknown>;
  desired: DesiredState;
  objects: StagedObject[];
  /** where Flux pulls from when the kustomization patches move its sync objects (a branch, a tag, a path) */
  sourceMove?: SourceMove;
}

/** For validated props: throws only what the release decides (a version it is not, a bad archive). */
export function render(props: FluxEngineProps, url: string): Rendered {
  const options = engineOptions(props, url);
  if (props.registryCredentials !== undefined) {
    // only its presence shapes the objects; the value reaches the cluster through Terraform
    options.registryCredentials = isToken(props.registryCredentials) ? 'user:password' : props.registryCredentials;
  }
  const dist = distributionOf(props);
  const desired = desiredState(options, dist);
  // the objects carry the patches, as Flux applies them; say at synth where that makes Flux pull from
  const { kustomization: _patches, ...plain } = options;
  const move =
    options.kustomization !== undefined ? sourceMove(desired, desiredState(plain, dist), desired.secretShape.source.namespace) : undefined;
  if (move) process.stderr.write(`flux-bootstrap: ${moveNotice(move, desired.directory)}\n`);
  return { options, desired, objects: stageObjects(desired.objects), sourceMove: move };
}

function distributionOf(props: FluxEngineProps): Distribution {
  const d = props.distribution;
  if (d !== undefined && typeof d === 'object') return d;
  return loadDistributionSync({ version: props.version, source: d, digest: props.distributionDigest });
}
