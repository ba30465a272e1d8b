// A plain Git server has no API: the deploy key is registered by addKeyCommand or by hand. Said
// at preview, before anything is written, so an install does not wait on a key nobody registers.

/** The warning for a plain-git deploy key without addKeyCommand, or undefined. */
export function unregisteredKeyWarning(host: unknown, addKeyCommand: unknown): string | undefined {
  if (host !== 'git' || addKeyCommand !== undefined) return undefined;
  return (
    'plain git without addKeyCommand: the deploy key will not be registered on the Git server, and Flux cannot clone until it is. ' +
    'Give addKeyCommand, or register the publicKey output (read-only) yourself before the install waits for Flux; ' +
    'a refused key ends that wait early, saying so.'
  );
}
