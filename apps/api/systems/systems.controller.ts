import { Body, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidPipe } from '../common/validation';
import {
  CreateSystemDto,
  ListSystemsQueryDto,
  SignificantChangeDto,
  SignificantChangeView,
  SystemDetailView,
  SystemPage,
  SystemView,
  UpdateSystemDto,
} from './systems.dto';
import { SystemsService } from './systems.service';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

@AuthenticatedController('systems', 'systems')
export class SystemsController {
  constructor(private readonly systems: SystemsService) {}

  @Post()
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Register an AI system; its cadences are reconciled in the same transaction' })
  @ApiCreatedResponse({ type: SystemView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiNotFoundResponse({ description: 'Owner not found' })
  @ApiConflictResponse({ description: 'Name already registered (case-insensitive)' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was saved' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the change; nothing was saved' })
  create(@Body() dto: CreateSystemDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<SystemView> {
    return this.systems.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List the AI system inventory' })
  @ApiOkResponse({ type: SystemPage })
  list(@Query() q: ListSystemsQueryDto): Promise<SystemPage> {
    return this.systems.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One AI system, with its inventory recertification (current, due or stale)' })
  @ApiOkResponse({ type: SystemDetailView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<SystemDetailView> {
    return this.systems.get(id);
  }

  @Patch(':id')
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Change an AI system (reclassify, move its lifecycle stage, ...); cadences follow' })
  @ApiOkResponse({ type: SystemView })
  @ApiBadRequestResponse({ description: 'Validation failed or empty body' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Name already registered (case-insensitive)' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was saved' })
  update(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: UpdateSystemDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<SystemView> {
    return this.systems.update(id, dto, actor);
  }

  @Post(':id/significant-change')
  @Roles('governance_lead')
  @ApiOperation({
    summary: 'Record a significant change of an AI system: its AI impact assessment opens at once, due 30 calendar days later',
  })
  @ApiCreatedResponse({ type: SignificantChangeView, description: 'The change is recorded and its AIIA is open' })
  @ApiOkResponse({ type: SignificantChangeView, description: 'The same change (same reason, its AIIA still open) was already recorded' })
  @ApiBadRequestResponse({ description: 'Validation failed (reason missing, blank or too long)' })
  @ApiNotFoundResponse({ description: 'Unknown system' })
  @ApiConflictResponse({ description: 'The system is retired or prohibited: it gets no AI impact assessment' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was recorded' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the start; nothing was recorded' })
  async significantChange(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: SignificantChangeDto,
    @CurrentPerson() actor: AuthenticatedPerson,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ): Promise<SignificantChangeView> {
    const view = await this.systems.significantChange(id, dto, actor);
    if (!view.created) res.status(200);
    return view;
  }
}
