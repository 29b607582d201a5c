import { Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import type { IncidentReport, NonconformityReport } from './cases';
import type { CycleReportRow, OverdueReport } from './cycles';
import { CycleRowView, CyclesQueryDto, InventoryStatusView, OverdueQueryDto, OverdueReportView } from './status.dto';
import { StatusService } from './status.service';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

@AuthenticatedController('status', 'status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get('inventory')
  @Roles('management', 'governance_lead', 'auditor')
  @ApiOperation({ summary: 'The inventory in scope by recertification state: current, due, stale (with the stale systems)' })
  @ApiOkResponse({ type: InventoryStatusView })
  inventory(): Promise<InventoryStatusView> {
    return this.status.inventory();
  }

  @Get('cycles')
  @Roles('management', 'governance_lead', 'auditor')
  @ApiOperation({ summary: 'Per kind and period: open, submitted, approved, overdue work and coverage of what was expected' })
  @ApiOkResponse({ type: [CycleRowView] })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  cycles(@Query() q: CyclesQueryDto): Promise<CycleReportRow[]> {
    return this.status.cycles(q);
  }

  @Get('overdue')
  @Roles('management', 'governance_lead', 'auditor')
  @ApiOperation({ summary: 'Overdue work by owner and escalation level' })
  @ApiOkResponse({ type: OverdueReportView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  overdue(@Query() q: OverdueQueryDto): Promise<OverdueReport> {
    return this.status.overdue(q);
  }

  @Get('incidents')
  @Roles('management', 'governance_lead', 'auditor')
  @ApiOperation({
    summary:
      'Open incidents by clock state; % of draft reports within 72 hours; mean time from detection to acknowledge, contain and close',
  })
  @ApiOkResponse({ description: 'Incident KPIs' })
  incidents(): Promise<IncidentReport> {
    return this.status.incidents();
  }

  @Get('nonconformities')
  @Roles('management', 'governance_lead', 'auditor')
  @ApiOperation({ summary: 'Open nonconformities by age and by corrective-action step' })
  @ApiOkResponse({ description: 'Nonconformity KPIs' })
  nonconformities(): Promise<NonconformityReport> {
    return this.status.nonconformities();
  }
}
