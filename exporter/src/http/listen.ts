import http, { type RequestListener, type Server } from 'node:http';

/**
 * The exporter could not bind its address. `message` is one line for the operator, naming the
 * setting that changes it (MODELWATCH_PORT / MODELWATCH_HOST).
 */
export class ListenError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

/**
 * Binds `handler` to host:port and resolves once listening. Unlike Express 5's app.listen, which
 * passes a bind error to its callback (so "listening" was logged on a busy port), a bind error
 * rejects with a ListenError.
 */
export function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(describe(err, host, port), err.code)));
    server.listen(port, host, () => resolve(server));
  });
}

function describe(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use; set MODELWATCH_PORT to another port (e.g. MODELWATCH_PORT=${port + 1})`;
    case 'EACCES':
      return `not allowed to listen on port ${port}; set MODELWATCH_PORT to a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not available on this machine; set MODELWATCH_HOST (default 0.0.0.0)`;
    default:
      return `cannot listen on ${host}:${port}: ${err.message}; check MODELWATCH_HOST and MODELWATCH_PORT`;
  }
}
