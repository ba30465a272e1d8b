// What a ControllerInstall create does with what it finds in its namespace (found-install.ts):
// nothing there or a namespace of the user's: install (and destroy keeps the user's namespace,
// also when only the namespace's own record says so); a Flux this tool made (marked on its
// namespace): adopt without `adopt`, as after a lost state; a Flux of `flux bootstrap`: refuse
// unless `adopt: true`; Helm's or the operator's: refuse unless `force`.
import type { Installation } from '../../provider/cluster/detect';
import { planFound } from '../../provider/resources/found-install';

const ID = 'https://10.0.0.1:6443/flux-system';
const flux: Installation = {
  status: 'adoptable',
  owner: 'flux',
  version: 'v2.9.3',
  controllers: ['source-controller'],
  fieldManagers: ['flux'],
  evidence: [],
  message: 'Flux v2.9.3 in flux-system was installed with the Flux manifests',
  namespaceExists: true,
};
const none = { existed: false, installed: false };

test('a Flux this tool made is adopted without adopt; one made by others needs adopt: true', () => {
  expect(planFound(flux, { existed: false, installed: true }, {}, ID)).toMatchObject({
    action: 'adopt',
    namespaceExisted: false,
    message: expect.stringContaining('found the Flux bootstrap this tool made in flux-system') as string,
  });
  expect(planFound(flux, none, {}, ID)).toMatchObject({ action: 'refuse' });
  expect(planFound(flux, none, { adopt: true }, ID)).toMatchObject({ action: 'adopt' });
  // our own preinstall, minutes ago: ours to finish, nothing to say
  expect(planFound(flux, none, { preinstalled: ID }, ID)).toEqual({
    action: 'install',
    namespaceExisted: false,
    message: '',
    marked: none,
  });
});

test("the user's namespace stays the user's, by what is there or by its record after a lost state", () => {
  const absent = { ...flux, status: 'absent' as const, controllers: [], namespaceExists: true };
  expect(planFound(absent, none, {}, ID)).toMatchObject({ action: 'install', namespaceExisted: true });
  expect(planFound(flux, { existed: true, installed: true }, {}, ID)).toMatchObject({ action: 'adopt', namespaceExisted: true });
  expect(planFound({ ...absent, namespaceExists: false }, none, {}, ID)).toMatchObject({
    action: 'install',
    namespaceExisted: false,
    message: '',
  });
});

test("Helm's or the operator's Flux is refused unless force", () => {
  const helm: Installation = { ...flux, status: 'foreign', owner: 'helm', message: 'Flux in flux-system is managed by Helm' };
  expect(planFound(helm, { existed: false, installed: true }, {}, ID)).toMatchObject({ action: 'refuse' });
  expect(planFound(helm, none, { force: true }, ID)).toMatchObject({ action: 'adopt' });
});
