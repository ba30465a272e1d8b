// Errors leaving a provider: partial state in the shape Pulumi's dynamic provider host turns into
// ErrorResourceInitFailed (id, properties, reasons), and never a secret in a message.
import { PartialStateError, scrubbed } from '../../provider/resources/common';

describe('errors thrown from create/update', () => {
  test('keep id, properties (with __provider) and reasons, with secrets removed from the text', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    const props = { __provider: 'exports.handler = ...', drift: ['incomplete: ...'] };
    const e = scrubbed(new PartialStateError(`could not push with ${token} and ${key}`, 'id-1', props), [token]);
    expect(e.message).toBe('could not push with [redacted] and [redacted private key]\n');
    const shape = e as unknown as { id: string; properties: Record<string, unknown>; reasons: string[] };
    expect(shape.id).toBe('id-1');
    expect(shape.properties).toBe(props);
    expect(shape.reasons).toEqual([e.message]);
    expect(e.stack).not.toContain(token);
  });

  test('plain errors stay plain (no partial state) and are scrubbed too', () => {
    const e = scrubbed(new Error('Authorization: Bearer sekrit-token-value'), []);
    expect(e.message).toBe('Authorization: [redacted]');
    expect((e as unknown as { id?: string }).id).toBeUndefined();
  });
});
