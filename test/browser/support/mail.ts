/**
 * Reading what a person received over SMTP (the stack's MailDev inbox) the way they would:
 * the next new email, and the links in it.
 */
import type { Inbox, ReceivedEmail } from '../../../tools/stack';

/** Every http(s) link in an email, text and HTML, in order, without duplicates. */
export function linksIn(email: ReceivedEmail): string[] {
  const found = [
    ...email.text.matchAll(/https?:\/\/[^\s<>"')\]]+/g),
    ...[...(email.html ?? '').matchAll(/href="(https?:\/\/[^"]+)"/g)].map((m) => [m[1].replace(/&amp;/g, '&')]),
  ].map((m) => m[0].replace(/[.,;:]+$/, ''));
  return [...new Set(found)];
}

/** The one link of `email` that `match` accepts; throws naming them all when there is not exactly one kind. */
export function linkIn(email: ReceivedEmail, match: RegExp): string {
  const links = linksIn(email).filter((l) => match.test(l));
  if (links.length === 0) throw new Error(`no link matching ${match} in "${email.subject}":\n${email.text}`);
  return links[0];
}

/** One person's mailbox: waits for mail that arrived after the last one taken. */
export class Mailbox {
  private readonly seen = new Set<string>();

  private constructor(
    private readonly inbox: Inbox,
    readonly address: string,
  ) {}

  /** Opens `address`'s mailbox; what it holds already counts as read unless `includeExisting`. */
  static async open(inbox: Inbox, address: string, includeExisting = false): Promise<Mailbox> {
    const box = new Mailbox(inbox, address.toLowerCase());
    if (!includeExisting) for (const m of await inbox.for(box.address)) box.seen.add(m.id);
    return box;
  }

  /** The oldest unread email to this person that `predicate` accepts (waits for it); marks it read. */
  async next(predicate: (email: ReceivedEmail) => boolean = () => true, timeoutMs = 60_000): Promise<ReceivedEmail> {
    const a = this.address;
    const mail = await this.inbox.waitFor(
      (m) => !this.seen.has(m.id) && (m.to.includes(a) || m.cc.includes(a) || m.recipients.includes(a)) && predicate(m),
      timeoutMs,
    );
    this.seen.add(mail.id);
    return mail;
  }
}
