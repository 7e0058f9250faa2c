import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { startMailCatcher, type MailCatcher } from '../support/mail-catcher.js';
import { Sandbox, type Running } from './helpers.js';

/**
 * The quickstart end to end as a person runs it, with mail going to a real SMTP server:
 * `amiwatch start --smtp-url …`, then `amiwatch quickstart --email …` waits for the person to
 * confirm; the test plays the person, following the link in the mail the SMTP server received;
 * then the notification with the AMI's `available` event arrives there too.
 */
const box = new Sandbox();
let smtp: MailCatcher;
const mails = () => smtp.mails;
let server: Running;

before(async () => {
  smtp = await startMailCatcher();
  server = await box.background(
    ['start', '--in-memory', '--port', '0', '--ami-duration', '1s', '--smtp-url', smtp.url],
    /Stop with Ctrl-C/,
  );
  box.env.AMIWATCH_ENDPOINT_URL = /AWS APIs {2}(http:\/\/\S+)/.exec(server.stdout)![1]!;
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0);
  await smtp.close();
  box.remove();
});

async function mailTo(predicate: (m: ParsedMail) => boolean, timeoutMs = 30_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = mails().find(predicate);
    if (mail) return mail;
    if (Date.now() > deadline)
      throw new Error(
        `no such mail; got ${mails()
          .map((m) => m.subject)
          .join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("quickstart --email: confirmation by the person, the guide's rule, CreateImage, the notification mailed", {
  timeout: 180_000,
}, async () => {
  const quickstart = await box.background(['quickstart', '--email', 'ops@example.com'], /open the link/);
  const confirmation = await mailTo((m) => m.subject === 'AWS Notification - Subscription Confirmation');
  assert.equal(confirmation.to && !Array.isArray(confirmation.to) ? confirmation.to.text : '', 'ops@example.com');
  const link = /https?:\/\/\S*confirmation\.html\?[^\s"'<>]+/.exec(confirmation.text ?? '')![0];
  const clicked = await fetch(link);
  assert.equal(clicked.status, 200);
  assert.equal(await quickstart.exited, 0, `${quickstart.stdout}\n${quickstart.stderr}`);
  const out = quickstart.stdout;
  assert.match(out, /✔ SNS topic arn:aws:sns:us-east-1:000000000000:amiwatch-quickstart/);
  assert.match(out, /✔ ops@example\.com confirmed the subscription\n/);
  assert.match(out, /✔ rule ami-available on bus default → the topic/);
  const imageId = /CreateImage from i-[0-9a-f]{17}: (ami-[0-9a-f]+) is pending/.exec(out)![1]!;
  assert.match(out, /✔ EventBridge matched the AMI event to ami-available/);
  assert.match(out, /✔ the notification was mailed to ops@example\.com through the SMTP server/);
  const notification = await mailTo((m) => m.subject === 'AWS Notification Message');
  const event = JSON.parse((notification.text ?? '').split('\n\n--\n')[0]!) as { detail: { ImageId: string; State: string } };
  assert.deepEqual([event.detail.ImageId, event.detail.State], [imageId, 'available']);

  const again = await box.run(['quickstart', '--email', 'ops@example.com']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /email subscription for ops@example\.com is confirmed already/);
  assert.match(again.stdout, new RegExp(`image ${imageId} \\(amiwatch-quickstart\\) exists already`));
  assert.equal(mails().filter((m) => m.subject === 'AWS Notification Message').length, 1, 'nothing sent twice');
});
