import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../../libs/contracts';
import { AuthService } from './auth.service';
import { AuthenticatedPerson, REQUEST_PERSON_KEY, REQUEST_SESSION_KEY, RequestSession } from './authenticated-person';
import { IS_PUBLIC_KEY } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';
import { CSRF_HEADER, csrfTokenFor, csrfTokenMatches, needsCsrfToken, readCookie, SESSION_COOKIE } from './sessions';

/**
 * Global guard (APP_GUARD): every route needs `Authorization: Bearer <token>` or a browser
 * session cookie unless marked @Public(); a cookie-authenticated request that changes
 * something also needs the session's CSRF token. @Roles(...) restricts further (admin always passes).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const req = ctx.switchToHttp().getRequest();
    const person = await this.identify(req);
    req[REQUEST_PERSON_KEY] = person;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && roles.length && person.role !== 'admin' && !roles.includes(person.role)) {
      throw new ForbiddenException(
        `role ${person.role} may not do this; allowed: ${['admin', ...roles.filter((r) => r !== 'admin')].join(', ')}`,
      );
    }
    return true;
  }

  /** A bearer token wins over a cookie: API clients never need CSRF tokens. */
  private async identify(req: { method: string; headers: Record<string, unknown>; [key: string]: unknown }): Promise<AuthenticatedPerson> {
    const header = req.headers?.authorization;
    const secret = readCookie(req.headers?.cookie, SESSION_COOKIE);
    if (typeof header === 'string' && header.trim()) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
      if (!m) throw new UnauthorizedException('malformed Authorization header: expected Bearer <token>');
      const person = await this.auth.authenticate(m[1]);
      if (!person) throw new UnauthorizedException('invalid, revoked or expired token');
      return person;
    }
    if (!secret) throw new UnauthorizedException('missing bearer token: send Authorization: Bearer <token>, or sign in');
    const session = await this.auth.authenticateSession(secret);
    if (!session) throw new UnauthorizedException('the session has ended or expired: sign in again');
    if (needsCsrfToken(req.method) && !csrfTokenMatches(secret, req.headers[CSRF_HEADER])) {
      throw new ForbiddenException(`CSRF token missing or invalid: send the session's csrfToken in the X-CSRF-Token header`);
    }
    const view: RequestSession = { sessionId: session.sessionId, csrfToken: csrfTokenFor(secret), expiresAt: session.expiresAt };
    req[REQUEST_SESSION_KEY] = view;
    return session.person;
  }
}
