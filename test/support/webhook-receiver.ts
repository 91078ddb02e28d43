import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  answered: number;
}

/**
 * An HTTP receiver on loopback standing in for Slack: `answer` decides each response from the
 * path and how many calls that path has had, so a test can fail the first attempts.
 */
export async function startWebhookReceiver(answer: (path: string, call: number) => number) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const call = received.filter((r) => r.path === path).length + 1;
      const status = answer(path, call);
      received.push({
        path,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown,
        answered: status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
