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

/** The browser session behind a request made with the session cookie (absent with a bearer token). */
export interface RequestSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
}

/** The request property the guard fills for cookie-authenticated requests. */
export const REQUEST_SESSION_KEY = 'aimsSession';
