import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { AuthenticatedPerson, REQUEST_PERSON_KEY } from './authenticated-person';

/** The authenticated caller (`AuthenticatedPerson`); only on routes that are not @Public(). */
export const CurrentPerson = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedPerson => {
  const person = ctx.switchToHttp().getRequest()[REQUEST_PERSON_KEY] as AuthenticatedPerson | undefined;
  if (!person) throw new UnauthorizedException('authentication required');
  return person;
});
