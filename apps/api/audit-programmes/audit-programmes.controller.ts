import { Body, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ROLES } from '../../../libs/contracts';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import type { Page } from '../common/pagination.dto';
import { fieldError } from '../common/validation';
import {
  AcknowledgeReportDto,
  AUDIT_PROGRAMME_ID_PATTERN,
  AuditProgrammePage,
  AuditProgrammeSummaryView,
  AuditProgrammeView,
  ListAuditProgrammesQueryDto,
  PlanProgrammeDto,
  RecordFindingsDto,
} from './audit-programmes.dto';
import { AuditProgrammesService } from './audit-programmes.service';

const ID_PARAM = { name: 'id', schema: { type: 'string', pattern: AUDIT_PROGRAMME_ID_PATTERN, example: 'internal-audit:2026' } } as const;
const AuditNumber = new ParseIntPipe({
  exceptionFactory: () => fieldError('n', 'n must be the number (1, 2, ...) of an audit of the plan'),
});

/** Auditors, governance leads, admins and top management read the programmes (ISO/IEC 42001 9.2). */
@AuthenticatedController('audit-programmes', 'audit-programmes')
@Roles('auditor', 'governance_lead', 'management')
export class AuditProgrammesController {
  constructor(private readonly programmes: AuditProgrammesService) {}

  @Get()
  @ApiOperation({
    summary: 'Internal audit programmes, latest first: coverage, audits by state, findings by grade, open corrective actions',
  })
  @ApiOkResponse({ type: AuditProgrammePage })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  list(@Query() q: ListAuditProgrammesQueryDto): Promise<Page<AuditProgrammeSummaryView>> {
    return this.programmes.list(q);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      "One programme: coverage % of the criteria, its audits with their tasks' states, findings by grade, the corrective actions they raised with their state, the report's acknowledgement",
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AuditProgrammeView })
  @ApiBadRequestResponse({ description: 'A malformed programme id' })
  @ApiNotFoundResponse({ description: 'No such programme' })
  get(@Param('id') id: string): Promise<AuditProgrammeView> {
    return this.programmes.get(id);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @Roles('governance_lead')
  @ApiOperation({
    summary:
      'Plan the programme (the plan task’s owner): every clause 4-10 and every applicable Annex A control covered, no auditor auditing what they own or work they submitted; answers once every audit’s task is open',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AuditProgrammeView })
  @ApiBadRequestResponse({
    description: 'Validation failed: a criterion not covered or unknown, an auditor unknown, deactivated or not independent',
  })
  @ApiNotFoundResponse({ description: 'No such programme' })
  @ApiConflictResponse({ description: 'Already planned, a plan is being checked, or the programme is closed' })
  plan(@Param('id') id: string, @Body() dto: PlanProgrammeDto, @CurrentPerson() p: AuthenticatedPerson): Promise<AuditProgrammeView> {
    return this.programmes.plan(id, dto, p);
  }

  @Post(':id/audits/:n/findings')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiOperation({
    summary:
      "Record an audit's findings (its auditor): exactly one per criterion; every minor or major nonconformity starts its corrective action; answers once they are in",
  })
  @ApiParam(ID_PARAM)
  @ApiParam({ name: 'n', schema: { type: 'integer', minimum: 1, example: 1 } })
  @ApiOkResponse({ type: AuditProgrammeView })
  @ApiBadRequestResponse({ description: 'Validation failed: a criterion without exactly one finding, a grade or summary missing' })
  @ApiNotFoundResponse({ description: 'No such programme or audit' })
  @ApiConflictResponse({ description: 'Not planned yet, or the audit’s findings are already in' })
  recordFindings(
    @Param('id') id: string,
    @Param('n', AuditNumber) n: number,
    @Body() dto: RecordFindingsDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<AuditProgrammeView> {
    if (n < 1) throw fieldError('n', 'n must be the number (1, 2, ...) of an audit of the plan');
    return this.programmes.recordFindings(id, n, dto, p);
  }

  @Post(':id/report/acknowledge')
  @HttpCode(200)
  @Roles('management')
  @ApiOperation({
    summary: "Top management acknowledge the programme's audit report (its addressee); answers once the programme is closed",
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AuditProgrammeView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiNotFoundResponse({ description: 'No such programme' })
  @ApiConflictResponse({ description: 'The report is not open yet, or already acknowledged' })
  acknowledgeReport(
    @Param('id') id: string,
    @Body() dto: AcknowledgeReportDto,
    @CurrentPerson() p: AuthenticatedPerson,
  ): Promise<AuditProgrammeView> {
    return this.programmes.acknowledgeReport(id, dto, p);
  }
}
