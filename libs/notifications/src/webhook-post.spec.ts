import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook, postWebhookForAnswer, WebhookFailure } from './webhook-post';

describe('postWebhook', () => {
  let server: Server;
  let port: number;
  const hosts: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    // Every address of this machine, so localhost works whether it resolves to ::1 or 127.0.0.1.
    await new Promise<void>((resolve) => server.listen(0, resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (url: string, allowPrivate: boolean) =>
    postWebhook({ url, headers: {}, body: '{}', timeoutMs: 5000, allowPrivate });

  it('refuses a name that resolves to loopback, before connecting', async () => {
    await expect(post(`http://localhost:${port}/hook`, false)).rejects.toBeInstanceOf(
      WebhookFailure,
    );
    await expect(post(`http://127.0.0.1:${port}/hook`, false)).rejects.toThrow(/not public/);
    expect(hosts).toEqual([]);
  });

  it('with private addresses allowed, connects to the checked address and keeps the host name', async () => {
    expect(await post(`http://localhost:${port}/hook`, true)).toBe(204);
    expect(hosts).toEqual([`localhost:${port}`]);
  });
});

describe('postWebhookForAnswer', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/long') res.writeHead(200).end('x'.repeat(5000));
        else if (req.url === '/stalls') {
          // The status and the start of an answer, then nothing: the timeout ends the wait.
          res.writeHead(502);
          res.write('partial');
        } else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such hook');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const ask = (path: string, timeoutMs = 5000) =>
    postWebhookForAnswer(
      {
        url: `http://127.0.0.1:${port}${path}`,
        headers: {},
        body: '{}',
        timeoutMs,
        allowPrivate: true,
      },
      100,
    );

  it('keeps the status and the whole of a short answer', async () => {
    expect(await ask('/hook')).toEqual({ status: 404, answer: 'no such hook', truncated: false });
  });

  it('keeps only the start of a long answer, and says so', async () => {
    expect(await ask('/long')).toEqual({ status: 200, answer: 'x'.repeat(100), truncated: true });
  });

  it('answers with what came when the receiver stalls mid-answer', async () => {
    expect(await ask('/stalls', 300)).toEqual({ status: 502, answer: 'partial', truncated: true });
  });

  it('refuses a private address like postWebhook does', async () => {
    await expect(
      postWebhookForAnswer(
        {
          url: `http://127.0.0.1:${port}/hook`,
          headers: {},
          body: '{}',
          timeoutMs: 500,
          allowPrivate: false,
        },
        100,
      ),
    ).rejects.toThrow(/not public/);
  });
});
