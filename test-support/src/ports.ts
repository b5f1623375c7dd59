import net from 'node:net';

/**
 * A loopback port that was free a moment ago. Another process may take it before the caller
 * binds it, so starters that use it retry on a bind failure (see startListening).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
