import type { Role } from '../../../libs/contracts';

/** Who made the request: set on `request.person` by the AuthGuard. */
export interface AuthenticatedPerson {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/** The request property the guard fills. */
export const REQUEST_PERSON_KEY = 'person';
