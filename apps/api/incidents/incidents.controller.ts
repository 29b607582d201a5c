import { applyDecorators, Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
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
import { NonconformityView } from '../nonconformities/nonconformities.dto';
import { RAISING_ROLES } from '../nonconformities/nonconformities.controller';
import {
  AcknowledgeIncidentDto,
  AddRegimeDto,
  ChangeRegimeVariantDto,
  ChangeSeverityDto,
  CloseIncidentDto,
  IncidentPage,
  IncidentView,
  ListIncidentsQueryDto,
  OpenIncidentDto,
  RaiseNonconformityDto,
  RecordContainmentDto,
  SubmitIncidentReportDto,
  SubmitRegulatoryReportDto,
} from './incidents.dto';
import { IncidentsService } from './incidents.service';

const REFUSED = {
  forbidden: 'Only the responder, a governance lead or an admin acts on an incident (only the responder submits its reports)',
  conflict: 'Not in this state: already done, the incident is closed, or a report is outstanding',
};

/** A responder's action: 200 with the incident after it, or the workflow validator's refusal. */
function IncidentAction(path: string, summary: string): MethodDecorator {
  return applyDecorators(
    Post(`:id/${path}`),
    HttpCode(200),
    ApiOperation({ summary }),
    ApiOkResponse({ type: IncidentView, description: 'The incident after the action' }),
    ApiBadRequestResponse({ description: 'Validation failed' }),
    ApiForbiddenResponse({ description: REFUSED.forbidden }),
    ApiNotFoundResponse({ description: 'No such incident' }),
    ApiConflictResponse({ description: REFUSED.conflict }),
  );
}

@AuthenticatedController('incidents', 'incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @Roles('responder', 'governance_lead', 'owner')
  @ApiOperation({ summary: 'Open an incident: the 72-hour report clock (and each regime’s) starts at detectedAt' })
  @ApiCreatedResponse({ type: IncidentView })
  @ApiBadRequestResponse({ description: 'Validation failed: e.g. detectedAt in the future, an unknown regime or variant' })
  @ApiNotFoundResponse({ description: 'The AI system or the responder does not exist' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was saved' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the start; nothing was saved' })
  open(@Body() dto: OpenIncidentDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<IncidentView> {
    return this.incidents.open(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Incidents, latest detected first, with every clock read now' })
  @ApiOkResponse({ type: IncidentPage })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  list(@Query() q: ListIncidentsQueryDto): Promise<Page<IncidentView>> {
    return this.incidents.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident: every clock with its deadline, time left, breached or not, and the reports submitted' })
  @ApiOkResponse({ type: IncidentView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<IncidentView> {
    return this.incidents.get(id);
  }

  @IncidentAction('acknowledge', 'Acknowledge the incident (mean time to acknowledge counts from detection)')
  acknowledge(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: AcknowledgeIncidentDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.acknowledge(id, dto, p);
  }

  @IncidentAction('severity', 'Change the severity, with a reason')
  severity(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: ChangeSeverityDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.changeSeverity(id, dto, p);
  }

  @IncidentAction('report', 'Submit the draft (within 72 hours of detection) or, after it, the final report: the reminders stop')
  submitReport(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: SubmitIncidentReportDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.submitReport(id, dto, p);
  }

  @IncidentAction('regulatory-reports', 'Record a regulatory report as filed with its authority (e.g. NIS2 early warning)')
  submitRegulatoryReport(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: SubmitRegulatoryReportDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.submitRegulatoryReport(id, dto, p);
  }

  @IncidentAction('regimes', 'Add a regime found to apply after opening: its clocks count from detection')
  addRegime(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: AddRegimeDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.addRegime(id, dto, p);
  }

  @IncidentAction(
    'regime-variant',
    "Change a regime's variant found late (art. 73: standard -> death): its open reports' deadlines are recomputed from the same awareness; one already past breaches at once",
  )
  changeRegimeVariant(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: ChangeRegimeVariantDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.changeRegimeVariant(id, dto, p);
  }

  @IncidentAction('containment', 'Record how the incident was contained')
  containment(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: RecordContainmentDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.recordContainment(id, dto, p);
  }

  @IncidentAction('close', 'Close the incident: refused until containment is recorded and every report is in')
  close(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: CloseIncidentDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<IncidentView> {
    return this.incidents.close(id, dto, p);
  }

  @Post(':id/nonconformities')
  @Roles(...RAISING_ROLES)
  @ApiOperation({ summary: 'Raise a nonconformity from this incident: its corrective action (10.2) starts' })
  @ApiCreatedResponse({ type: NonconformityView })
  @ApiBadRequestResponse({ description: 'Validation failed, e.g. the verifier owns the action' })
  @ApiNotFoundResponse({ description: 'No such incident, or a named person does not exist' })
  raiseNonconformity(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: RaiseNonconformityDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<NonconformityView> {
    return this.incidents.raiseNonconformity(id, dto, p);
  }
}
