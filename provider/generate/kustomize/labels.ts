// Flux's LabelTransformer (labels.yaml): sets labels on metadata.labels of every object and,
// where the release's generator asks for it, on Deployment pod templates.
import { kindOf, mapAt, type KubeObject } from './objects';

export function setLabels(objects: KubeObject[], labels: Record<string, string>, podTemplates: boolean): void {
  for (const obj of objects) {
    Object.assign(mapAt(obj, ['metadata', 'labels'], true)!, labels);
    if (podTemplates && kindOf(obj) === 'Deployment') {
      const target = mapAt(obj, ['spec', 'template', 'metadata', 'labels'], true);
      if (target) Object.assign(target, labels);
    }
  }
}
