// Kinds without an import by id say what to do instead, each its own way: a DeployKey is given the
// key Flux already uses; an OciSyncManifests is declared as it is and finds its artifact pushed.
import { importByid } from '../../provider/resources/import-inputs';

test('an OciSyncManifests id is refused with its own remedy, not a deploy key one', async () => {
  await expect(importByid('OciSyncManifests', 'oci://registry.example.com/fleet:prod', {})).rejects.toThrow(
    'invalid id "oci://registry.example.com/fleet:prod": cannot be imported: OciSyncManifests has no import by id yet. Fix: declare it without import, with the same url and options: create pushes nothing when the tag already holds these files (the same layer digest), else pushes them once.',
  );
});

test('a DeployKey id is refused with the key to give instead', async () => {
  await expect(importByid('DeployKey', '12345', {})).rejects.toThrow(
    'invalid id "12345": cannot be imported: DeployKey has no import by id yet. Fix: give the key Flux already uses as privateKey: the same key is registered again, nothing else changes.',
  );
});
