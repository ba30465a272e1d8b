// No cluster at all: a closed port on loopback. Every entry point fails with one readable
// sentence and a fix, never a stack of client internals; uninstall can report instead of throw.
import * as net from 'node:net';
import { applyObjects } from '../../../provider/cluster/apply';
import { connect } from '../../../provider/cluster/connection';
import { uninstall } from '../../../provider/cluster/uninstall';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an unreachable cluster', () => {
  let host: string;
  beforeAll(async () => {
    host = `https://127.0.0.1:${await closedPort()}`;
  });

  test('connect fails with the address, the cause and a fix', async () => {
    const err = await connect({ host, token: 'secret-token-value' }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `cannot reach the Kubernetes API at ${host}: connect ECONNREFUSED ${host.slice('https://'.length)}. ` +
        'Fix: check that the cluster is running and that the kubeconfig/host points at its API server (address and port)',
    );
    expect((err as Error).message).not.toContain('secret-token-value');
  });

  test('apply on an unverified connection fails the same way', async () => {
    const conn = await connect({ host, token: 't' }, { verify: false });
    try {
      await expect(applyObjects(conn, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }])).rejects.toThrow(
        /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
      );
    } finally {
      conn.close();
    }
  });

  test('uninstall reports it when told to tolerate it, and throws otherwise', async () => {
    const conn = await connect({ host, token: 't' }, { verify: false });
    try {
      const report = await uninstall(conn, { namespace: 'flux-system', tolerateUnreachable: true });
      expect(report.unreachable).toMatch(/^cannot reach the Kubernetes API/);
      expect(report.deleted).toEqual([]);
      await expect(uninstall(conn, { namespace: 'flux-system' })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      conn.close();
    }
  });
});
