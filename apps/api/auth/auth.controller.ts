import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { RequestSignInLinkDto, SessionView, SignInLinkSentView, StartSessionDto } from './auth.dto';
import type { AuthenticatedPerson, RequestSession } from './authenticated-person';
import { REQUEST_SESSION_KEY } from './authenticated-person';
import { CurrentPerson } from './current-person.decorator';
import { Public } from './public.decorator';
import { csrfTokenFor, SESSION_COOKIE, sessionCookieOptions, SessionResponse, SIGN_IN_LINK_TTL_MINUTES } from './sessions';
import { SignInService } from './sign-in.service';

const TOKEN_FIELD = { type: 'string' as const, minLength: 1, maxLength: 200 };

/** Sign-in for people in a browser: a one-time link by email, or an API token; the session is a cookie. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post('sign-in-links')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: `Email a one-time sign-in link (single use, valid ${SIGN_IN_LINK_TTL_MINUTES} minutes) to an active person`,
    description: 'The answer is the same whether or not the address belongs to someone.',
  })
  @ApiAcceptedResponse({ type: SignInLinkSentView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiServiceUnavailableResponse({ description: 'Email cannot be sent from here (no SMTP_URL, or the SMTP server refused)' })
  async requestLink(@Body() dto: RequestSignInLinkDto): Promise<SignInLinkSentView> {
    await this.signIn.sendLink(dto.email, dto.next ?? undefined);
    return { sent: true, expiresInMinutes: SIGN_IN_LINK_TTL_MINUTES };
  }

  @Post('sessions')
  @Public()
  @ApiOperation({ summary: 'Sign in: a sign-in link or an API token opens a session (HttpOnly, SameSite=Strict cookie)' })
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', required: ['signInLink'], additionalProperties: false, properties: { signInLink: TOKEN_FIELD } },
        { type: 'object', required: ['apiToken'], additionalProperties: false, properties: { apiToken: TOKEN_FIELD } },
      ],
    },
  })
  @ApiCreatedResponse({ type: SessionView, description: `Sets the ${SESSION_COOKIE} cookie` })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiUnauthorizedResponse({ description: 'The link is used, expired or unknown, or the token is invalid' })
  async start(@Body() dto: StartSessionDto, @Res({ passthrough: true }) res: SessionResponse): Promise<SessionView> {
    const session =
      dto.apiToken !== undefined ? await this.signIn.startWithToken(dto.apiToken) : await this.signIn.startWithLink(dto.signInLink!);
    res.cookie(SESSION_COOKIE, session.secret, sessionCookieOptions(this.config.publicUrl, new Date(session.expiresAt)));
    res.setHeader('Cache-Control', 'no-store');
    return {
      person: session.person,
      csrfToken: csrfTokenFor(session.secret),
      expiresAt: session.expiresAt,
      ...(session.next ? { next: session.next } : {}),
    };
  }

  @Get('session')
  @ApiBearerAuth()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Who is signed in, and the CSRF token of the session' })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  current(
    @CurrentPerson() person: AuthenticatedPerson,
    @Req() req: Record<string, unknown>,
    @Res({ passthrough: true }) res: SessionResponse,
  ): SessionView {
    const session = req[REQUEST_SESSION_KEY] as RequestSession | undefined;
    res.setHeader('Cache-Control', 'no-store');
    return { person, ...(session ? { csrfToken: session.csrfToken, expiresAt: session.expiresAt } : {}) };
  }

  @Delete('session')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Sign out: the session ends and its cookie is cleared (needs X-CSRF-Token)' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  @ApiForbiddenResponse({ description: 'CSRF token missing or invalid' })
  async end(@Req() req: Record<string, unknown>, @Res({ passthrough: true }) res: SessionResponse): Promise<void> {
    const session = req[REQUEST_SESSION_KEY] as RequestSession | undefined;
    if (session) await this.signIn.end(session.sessionId);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.publicUrl));
  }
}
