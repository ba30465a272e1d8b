// The three files `flux bootstrap` v2.9.3 committed to equinor/radix-flux, reproduced byte for
// byte (the reference: the copy in ../shared, or the real flux CLI v2.9.3's output; without
// either these skip, and the differential tests prove the same).
import { desiredState, generateComponents, generateKustomization, generateSync, validateRender } from '../../provider/engine';
import { distribution, golden, GOLDEN_OPTIONS, hasGolden, testWithGolden } from './support/reference';

const allThree = hasGolden('gotk-components.yaml') && hasGolden('gotk-sync.yaml') && hasGolden('kustomization.yaml');

describe('rendering the options flux bootstrap v2.9.3 was run with', () => {
  testWithGolden('gotk-components.yaml')('gotk-components.yaml is byte-identical to what flux bootstrap wrote', async () => {
    const out = generateComponents(validateRender(GOLDEN_OPTIONS), await distribution('v2.9.3'));
    expect(Buffer.from(out).equals(Buffer.from(golden('gotk-components.yaml')))).toBe(true);
  });

  testWithGolden('gotk-sync.yaml')('gotk-sync.yaml is byte-identical to what flux bootstrap wrote', () => {
    const out = generateSync(validateRender(GOLDEN_OPTIONS));
    expect(out).toBe(golden('gotk-sync.yaml'));
  });

  testWithGolden('kustomization.yaml')('kustomization.yaml is byte-identical to what flux bootstrap wrote', () => {
    expect(generateKustomization()).toBe(golden('kustomization.yaml'));
  });

  (allThree ? test : test.skip)('desiredState puts the three files under <path>/<namespace>/', async () => {
    const state = desiredState(GOLDEN_OPTIONS, await distribution('v2.9.3'));
    expect(Object.keys(state.files).sort()).toEqual([
      'clusters/development/flux-system/gotk-components.yaml',
      'clusters/development/flux-system/gotk-sync.yaml',
      'clusters/development/flux-system/kustomization.yaml',
    ]);
    for (const name of ['gotk-components.yaml', 'gotk-sync.yaml', 'kustomization.yaml'] as const) {
      expect(state.files[`clusters/development/flux-system/${name}`]).toBe(golden(name));
    }
  });
});
