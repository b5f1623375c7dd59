import http from 'node:http';

export interface TappedDelivery {
  at: number;
  requestBody: string;
  authorization: string | undefined;
  status: number;
  responseBody: string;
}

export interface WebhookTap {
  /** Base URL to give Alertmanager in place of the exporter's. */
  url: string;
  deliveries: TappedDelivery[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy between Alertmanager and the exporter: it forwards every request
 * unchanged (method, path, body, Authorization, Content-Type) and records what went through,
 * so the test can read exactly what Alertmanager sent, what the exporter answered, and replay
 * the very same payload. It changes nothing on the way.
 */
export async function startWebhookTap(upstream: string): Promise<WebhookTap> {
  const deliveries: TappedDelivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const h of ['authorization', 'content-type', 'user-agent']) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      fetch(upstream + (req.url ?? '/'), {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : requestBody,
      })
        .then(async (up) => {
          const responseBody = await up.text();
          deliveries.push({ at: Date.now(), requestBody, authorization: req.headers.authorization, status: up.status, responseBody });
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(responseBody);
        })
        .catch((err: Error) => {
          deliveries.push({
            at: Date.now(),
            requestBody,
            authorization: req.headers.authorization,
            status: 502,
            responseBody: err.message,
          });
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
