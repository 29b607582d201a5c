import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../../libs/contracts';
import { AuthService } from './auth.service';
import { REQUEST_PERSON_KEY } from './authenticated-person';
import { IS_PUBLIC_KEY } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';

/**
 * Global guard (APP_GUARD): every route needs `Authorization: Bearer <token>` unless marked
 * @Public(); @Roles(...) restricts it further (admin always passes).
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
    const header: unknown = req.headers?.authorization;
    if (typeof header !== 'string' || !header.trim()) {
      throw new UnauthorizedException('missing bearer token: send Authorization: Bearer <token>');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
    if (!m) throw new UnauthorizedException('malformed Authorization header: expected Bearer <token>');
    const person = await this.auth.authenticate(m[1]);
    if (!person) throw new UnauthorizedException('invalid, revoked or expired token');
    req[REQUEST_PERSON_KEY] = person;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && roles.length && person.role !== 'admin' && !roles.includes(person.role)) {
      throw new ForbiddenException(
        `role ${person.role} may not do this; allowed: ${['admin', ...roles.filter((r) => r !== 'admin')].join(', ')}`,
      );
    }
    return true;
  }
}
