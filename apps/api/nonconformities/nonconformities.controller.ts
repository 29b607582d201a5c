import { Body, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import type { Page } from '../common/pagination.dto';
import { UuidPipe } from '../common/validation';
import { CreateNonconformityDto, ListNonconformitiesQueryDto, NonconformityPage, NonconformityView } from './nonconformities.dto';
import { NonconformitiesService } from './nonconformities.service';

/** Roles that raise nonconformities: from audits, management reviews and incidents. */
export const RAISING_ROLES = ['governance_lead', 'auditor', 'management', 'responder'] as const;

@AuthenticatedController('nonconformities', 'nonconformities')
export class NonconformitiesController {
  constructor(private readonly nonconformities: NonconformitiesService) {}

  @Post()
  @Roles(...RAISING_ROLES)
  @ApiOperation({
    summary: 'Raise a nonconformity and start its corrective action (10.2): containment, root cause, action, effectiveness check',
  })
  @ApiCreatedResponse({ type: NonconformityView })
  @ApiBadRequestResponse({ description: 'Validation failed, e.g. the verifier owns the action' })
  @ApiNotFoundResponse({ description: 'A named person, or the source incident, does not exist' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was saved' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the start; nothing was saved' })
  create(@Body() dto: CreateNonconformityDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<NonconformityView> {
    return this.nonconformities.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'The corrective-action log: source, root cause, action, dates, verification result, age' })
  @ApiOkResponse({ type: NonconformityPage })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  list(@Query() q: ListNonconformitiesQueryDto): Promise<Page<NonconformityView>> {
    return this.nonconformities.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One nonconformity with every step, action and verification' })
  @ApiOkResponse({ type: NonconformityView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<NonconformityView> {
    return this.nonconformities.get(id);
  }
}
