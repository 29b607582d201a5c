import { Inject, Injectable, Logger, OnModuleDestroy, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import type { ApiConfig } from '../../../libs/config';
import { createSmtpTransport, renderSignInLink, sendMail } from '../../../libs/notifications';
import { createSignInLink, discardSignInLink, endSession, startSessionFromLink, startSessionFromToken } from '../../../libs/persistence';
import { API_CONFIG } from '../config/api-config.module';
import { AuthService } from './auth.service';
import type { AuthenticatedPerson } from './authenticated-person';
import { MAX_OPEN_SIGN_IN_LINKS, SESSION_TTL_HOURS, SIGN_IN_LINK_TTL_MINUTES } from './sessions';
import { generateToken, hashToken } from './tokens';

export interface StartedSession {
  secret: string;
  person: AuthenticatedPerson;
  expiresAt: string;
  next?: string;
}

/** Sign-in by one-time email link or API token, and sign-out. Secrets are stored hashed only. */
@Injectable()
export class SignInService implements OnModuleDestroy {
  private readonly logger = new Logger('SignIn');
  private transport: Transporter | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly auth: AuthService,
  ) {}

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /**
   * Emails a one-time link to the active person with this address. Unknown addresses, and
   * people who already hold the most unused links, are answered alike and sent nothing.
   */
  async sendLink(email: string, next: string | undefined): Promise<void> {
    const { smtpUrl, from } = this.config.mail;
    if (!smtpUrl) throw new ServiceUnavailableException('email sign-in is not configured here (SMTP_URL): sign in with an API token');
    const token = generateToken();
    const link = await createSignInLink(this.db, {
      email,
      tokenHash: hashToken(token),
      nextPath: next,
      ttlMinutes: SIGN_IN_LINK_TTL_MINUTES,
      maxOpen: MAX_OPEN_SIGN_IN_LINKS,
    });
    if (!link || 'throttled' in link) return;
    // In the fragment: a browser never sends it to a server, so it reaches no log or Referer.
    const url = `${this.config.publicUrl}/app/sign-in#link=${token}`;
    const rendered = renderSignInLink({ name: link.name, url, expiresInMinutes: SIGN_IN_LINK_TTL_MINUTES });
    try {
      this.transport ??= createSmtpTransport(smtpUrl);
      await sendMail(this.transport, { from, to: link.email, ...rendered, messageId: `<sign-in-${link.linkId}@aims-orchestrator>` });
    } catch (err) {
      await discardSignInLink(this.db, link.linkId).catch(() => undefined);
      this.logger.warn(`sign-in email to person ${link.personId} not sent: ${(err as Error).message}`);
      throw new ServiceUnavailableException('the sign-in email could not be sent; try again shortly');
    }
  }

  async startWithLink(linkToken: string): Promise<StartedSession> {
    const secret = generateToken();
    const session = await startSessionFromLink(this.db, {
      linkHash: hashToken(linkToken),
      sessionHash: hashToken(secret),
      ttlHours: SESSION_TTL_HOURS,
    });
    if (!session) throw new UnauthorizedException('this sign-in link is used, expired or unknown: ask for a new one');
    const found = await this.auth.authenticateSession(secret);
    if (!found) throw new UnauthorizedException('this sign-in link is used, expired or unknown: ask for a new one');
    return { secret, person: found.person, expiresAt: session.expiresAt, ...(session.nextPath ? { next: session.nextPath } : {}) };
  }

  async startWithToken(apiToken: string): Promise<StartedSession> {
    const token = await this.auth.findToken(apiToken);
    if (!token) throw new UnauthorizedException('invalid, revoked or expired token');
    const secret = generateToken();
    const session = await startSessionFromToken(this.db, {
      personId: token.person.id,
      tokenId: token.tokenId,
      sessionHash: hashToken(secret),
      ttlHours: SESSION_TTL_HOURS,
    });
    return { secret, person: token.person, expiresAt: session.expiresAt };
  }

  async end(sessionId: string): Promise<void> {
    await endSession(this.db, sessionId);
  }
}
