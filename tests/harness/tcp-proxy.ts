// A loopback TCP proxy a test can cut and restore, to make a server "go away" in the middle of
// an operation without stopping it for everyone else (the API server is shared by the file).
import * as net from 'node:net';

export interface TcpProxy {
  port: number;
  /** connections forwarded so far */
  connections(): number;
  /** drops every open connection and refuses new ones (ECONNREFUSED), like a stopped server */
  cut(): Promise<void>;
  /** listens again on the same port */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpProxy(targetHost: string, targetPort: number, onConnection?: (n: number) => void): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        count += 1;
        const upstream = net.connect(targetPort, targetHost);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
        onConnection?.(count);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = async () => {
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();
  return { port, connections: () => count, cut: stop, restore: listen, close: stop };
}
