import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { PaginationQueryDto } from '../common/pagination.dto';
import { UuidPipe } from '../common/validation';
import {
  CreatePersonDto,
  IssuedTokenView,
  IssueTokenDto,
  ListPeopleQueryDto,
  PersonPage,
  PersonView,
  TokenPage,
  TokenView,
  UpdatePersonDto,
} from './people.dto';
import { PeopleService } from './people.service';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

@AuthenticatedController('people', 'people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Post()
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Register a person (owner, approver, escalation target)' })
  @ApiCreatedResponse({ type: PersonView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiNotFoundResponse({ description: 'Manager not found' })
  @ApiConflictResponse({ description: 'Email already registered (case-insensitive)' })
  create(@Body() dto: CreatePersonDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<PersonView> {
    return this.people.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List people' })
  @ApiOkResponse({ type: PersonPage })
  list(@Query() q: ListPeopleQueryDto): Promise<PersonPage> {
    return this.people.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One person' })
  @ApiOkResponse({ type: PersonView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<PersonView> {
    return this.people.get(id);
  }

  @Patch(':id')
  @Roles('governance_lead')
  @ApiOperation({
    summary: 'Change name, email, role or manager (managerId: null removes it); active: false deactivates, true reactivates',
  })
  @ApiOkResponse({ type: PersonView })
  @ApiBadRequestResponse({ description: 'Validation failed, empty body, a manager cycle, or a deactivated manager' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({
    description:
      'Email already registered; the last active admin would lose the role; or deactivating the bootstrap admin, the last ' +
      'active admin, or a person who still owns open work (openWork names the tasks, incidents, nonconformities, systems ' +
      'and direct reports)',
  })
  update(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: UpdatePersonDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<PersonView> {
    return this.people.update(id, dto, actor);
  }

  @Post(':id/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue an API token for a person; the token is shown only in this response' })
  @ApiCreatedResponse({ type: IssuedTokenView })
  @ApiBadRequestResponse({ description: 'Validation failed, or expiresAt not in the future or too far ahead' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The person is deactivated' })
  issueToken(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: IssueTokenDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<IssuedTokenView> {
    return this.people.issueToken(id, dto, actor);
  }

  @Get(':id/tokens')
  @ApiOperation({ summary: "A person's tokens (revoked and expired ones too), never the secret: admin, governance lead, or the person" })
  @ApiOkResponse({ type: TokenPage })
  @ApiForbiddenResponse({ description: "Another person's tokens, and not an admin or governance lead" })
  @ApiNotFoundResponse()
  listTokens(
    @Param('id', UuidPipe('id')) id: string,
    @Query() q: PaginationQueryDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<TokenPage> {
    return this.people.listTokens(id, q, actor);
  }

  @Delete(':id/tokens/:tokenId')
  @ApiOperation({
    summary:
      'Revoke a token at once: admin, governance lead, or the person. Idempotent: a revoked token answers 200 as it is; an unknown one 404',
  })
  @ApiOkResponse({ type: TokenView })
  @ApiForbiddenResponse({ description: "Another person's token, and not an admin or governance lead" })
  @ApiNotFoundResponse({ description: 'Unknown person, or no such token of this person' })
  revokeToken(
    @Param('id', UuidPipe('id')) id: string,
    @Param('tokenId', UuidPipe('tokenId')) tokenId: string,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<TokenView> {
    return this.people.revokeToken(id, tokenId, actor);
  }
}
