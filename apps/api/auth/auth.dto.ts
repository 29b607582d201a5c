import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { ROLES } from '../../../libs/contracts';
import { trim } from '../common/text';
import { APP_PATH_PATTERN } from './sessions';

export class RequestSignInLinkDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @Transform(trim)
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiPropertyOptional({
    example: '/app/tasks/high-risk-review%3A3f6c2a1e-0000-4000-8000-000000000000%3A2026-Q4',
    maxLength: 2000,
    pattern: APP_PATH_PATTERN,
    nullable: true,
    description: 'The page of the app to land on after signing in (a path under /app); null or absent: My work',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(new RegExp(APP_PATH_PATTERN), { message: 'next must be a path of the app, starting with /app' })
  next?: string | null;
}

export class SignInLinkSentView {
  @ApiProperty({ description: 'Always true: the answer never tells whether the address is known' }) sent!: boolean;
  @ApiProperty({ example: 15 }) expiresInMinutes!: number;
}

/** Not together with `other`: of two alternative fields, one is given. */
function NotWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'notWith',
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `give ${args?.property} or ${other}, not both`,
    },
  });
}

/** Exactly one of the two: the one-time link's token from the email, or an API token. */
export class StartSessionDto {
  @ApiPropertyOptional({
    maxLength: 200,
    description: 'The token of a sign-in link (after #link= in the emailed URL); required without apiToken',
  })
  @ValidateIf((o: StartSessionDto) => o.signInLink !== undefined || o.apiToken === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  signInLink?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'An API token (aims_...), instead of a sign-in link' })
  @ValidateIf((o: StartSessionDto) => o.apiToken !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NotWith('signInLink')
  apiToken?: string;
}

export class SessionPersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
}

export class SessionView {
  @ApiProperty({ type: SessionPersonView }) person!: SessionPersonView;
  @ApiPropertyOptional({
    description: 'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made with the session cookie (absent with a bearer token)',
  })
  csrfToken?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) expiresAt?: string;
  @ApiPropertyOptional({ description: 'The app page the sign-in link was asked for' }) next?: string;
}
