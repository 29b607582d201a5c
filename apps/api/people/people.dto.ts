import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../../../libs/contracts';
import { IsOptionalInstant } from '../common/date-time';
import { MinProperties } from '../common/openapi-contract';
import { PaginationQueryDto } from '../common/pagination.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreatePersonDto {
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'ada@example.com', maxLength: 320, description: 'Unique, case-insensitively' })
  @Transform(trim)
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ enum: ROLES, example: 'owner' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: "The person's manager: the first escalation level" })
  @IsOptional()
  @IsUUID('all', { message: 'managerId must be a UUID' })
  managerId?: string | null;
}

/** Any subset of the fields; `managerId: null` removes the manager. An empty body is refused. */
@MinProperties(1)
export class UpdatePersonDto extends PartialType(CreatePersonDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({
    type: Boolean,
    description:
      'false deactivates the person: every token is revoked, they cannot authenticate nor be given new work. ' +
      'Refused (409) while they own open work (tasks, incidents, nonconformities), systems that are not retired, ' +
      'or manage active people, and for the bootstrap admin and the last active admin. true reactivates (tokens stay revoked).',
  })
  @ValidateIf((_o: unknown, v: unknown) => v !== undefined)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class ListPeopleQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the direct reports of this manager' })
  @IsOptional()
  @IsUUID('all', { message: 'managerId must be a UUID' })
  managerId?: string;
}

/** The longest a token may live: a year. */
export const MAX_TOKEN_LIFETIME_DAYS = 365;

export class IssueTokenDto {
  @ApiPropertyOptional({ example: 'ci pipeline', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  label?: string;

  @IsOptionalInstant(
    'expiresAt',
    '2027-06-30T00:00:00Z',
    `When the token stops authenticating: in the future, at most ${MAX_TOKEN_LIFETIME_DAYS} days ahead. Absent or null: it never expires.`,
  )
  expiresAt?: string | null;
}

export class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) managerId!: string | null;
  @ApiProperty({ description: 'false once deactivated' }) active!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deactivatedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class PersonPage {
  @ApiProperty({ type: [PersonView] }) items!: PersonView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class IssuedTokenView {
  @ApiProperty({ description: 'The bearer token. Shown only in this response; only its hash is stored.', example: 'aims_...' })
  token!: string;
  @ApiProperty({ format: 'uuid', description: 'Id of the token record' }) id!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() label!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the token expires; absent when it never does' })
  expiresAt?: string;
}

export const TOKEN_STATES = ['active', 'expired', 'revoked'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

/** A token as listed: never the secret nor its hash. */
export class TokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: TOKEN_STATES, description: 'revoked wins over expired' }) state!: TokenState;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Refreshed at most once a minute' })
  lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class TokenPage {
  @ApiProperty({ type: [TokenView] }) items!: TokenView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
