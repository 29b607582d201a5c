import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** A controller whose routes all need a bearer token (the global guard enforces it; this documents it). */
export function AuthenticatedController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, revoked or expired bearer token, or a deactivated person' }),
    Controller(path),
  );
}
