import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that keeps every mail it receives, parsed. */
export interface MailCatcher {
  readonly url: string;
  readonly mails: ParsedMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: ParsedMail[] = [];
  // STARTTLS off: smtp-server's built-in certificate has expired (nodemailer: `certificate has expired`).
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => (mails.push(m), done()), done);
    },
  });
  // A client killed mid-session resets its connection: not the catcher's failure (the crash test kills amiwatch).
  smtp.on('error', () => {});
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}
