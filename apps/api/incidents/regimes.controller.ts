import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CalendarDuration, Regime, ReportAnchor } from '../../../libs/domain';
import { HOUR_MS, ruleDuration } from '../../../libs/domain';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import { IncidentsService } from './incidents.service';

/**
 * A regime as the API lists it: each deadline as a duration and what it counts from, and its
 * nominal length in hours (a day 24 h, a month 30 days) for display.
 */
export interface RegimeView {
  id: string;
  name: string;
  authority: string;
  escalateTo: string[];
  defaultVariant: string;
  variants: Array<{
    id: string;
    label: string;
    reports: Array<{ key: string; label: string; dueAfter: CalendarDuration; from: ReportAnchor; dueAfterHours: number }>;
  }>;
}

export function toRegimeView(r: Regime): RegimeView {
  return {
    id: r.id,
    name: r.name,
    authority: r.authority,
    escalateTo: [...r.escalateTo],
    defaultVariant: r.defaultVariant,
    variants: Object.entries(r.variants).map(([id, v]) => ({
      id,
      label: v.label,
      reports: v.reports.map((rep) => ({
        key: rep.key,
        label: rep.label,
        dueAfter: ruleDuration(rep),
        from: rep.from ?? 'awareness',
        dueAfterHours: rep.dueAfterMs / HOUR_MS,
      })),
    })),
  };
}

@AuthenticatedController('regimes', 'incidents')
export class RegimesController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @ApiOperation({
    summary: 'The regulatory regimes an incident may name, their variants and report deadlines (built in, plus AIMS_REGIMES_FILE)',
  })
  @ApiOkResponse({ description: 'Regimes by id' })
  list(): RegimeView[] {
    return Object.values(this.incidents.regimeCatalog).map(toRegimeView);
  }
}
