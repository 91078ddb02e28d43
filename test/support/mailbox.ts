import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  link: string | null;
}

/**
 * A real SMTP server on loopback that keeps what it receives, so tests exercise the product's
 * own nodemailer path end to end and read the links people would click.
 */
export async function startMailbox(): Promise<{
  url: string;
  mails: Mail[];
  close: () => Promise<void>;
  linksFor: (email: string) => string[];
}> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          for (const rcpt of session.envelope.rcptTo) {
            mails.push({
              to: rcpt.address.toLowerCase(),
              subject: parsed.subject ?? '',
              text,
              link: /https?:\/\/\S+\/r\/\S+/.exec(text)?.[0] ?? null,
            });
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    linksFor: (email) =>
      mails.filter((m) => m.to === email.toLowerCase() && m.link).map((m) => m.link!),
  };
}

/** The token at the end of a personal link. */
export function tokenOf(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}
