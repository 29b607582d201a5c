import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Regime } from '../../../libs/domain';
import { HOUR_MS } from '../../../libs/domain';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import { IncidentsService } from './incidents.service';

/** A regime as the API lists it: deadlines in hours after detection. */
export interface RegimeView {
  id: string;
  name: string;
  authority: string;
  escalateTo: string[];
  defaultVariant: string;
  variants: Array<{ id: string; label: string; reports: Array<{ key: string; label: string; dueAfterHours: number }> }>;
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
      reports: v.reports.map((rep) => ({ key: rep.key, label: rep.label, dueAfterHours: rep.dueAfterMs / HOUR_MS })),
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
