import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook, WebhookFailure } from './webhook-post';

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
