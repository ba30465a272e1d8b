// A key problem the user can fix: what is wrong (reason) and how to fix it (remedy). Callers
// that know which input field the key came from wrap it into the engine's InputError. The
// message never contains key material or passphrases.
export class KeyError extends Error {
  constructor(readonly reason: string, readonly remedy: string) {
    super(`${reason}. Fix: ${remedy}`);
    this.name = 'KeyError';
  }
}
