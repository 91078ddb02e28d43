import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server that counts what it is handed, per recipient, and reads nothing else: the
 * product and the baseline hand their messages to it in turn.
 */
export interface MailSink {
  url: string;
  /** Messages received, by recipient address. */
  received: Map<string, number>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const received = new Map<string, number>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 100,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) {
          const address = rcpt.address.toLowerCase();
          received.set(address, (received.get(address) ?? 0) + 1);
          total += 1;
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    total: () => total,
    reset() {
      received.clear();
      total = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
