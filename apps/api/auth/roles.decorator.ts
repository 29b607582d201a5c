import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Role } from '../../../libs/contracts';

export const ROLES_KEY = 'aims:roles';

/** Only these roles may call the route (admin always may); anyone else gets 403. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiForbiddenResponse({ description: `Only ${['admin', ...roles.filter((r) => r !== 'admin')].join(', ')}` }),
  );
