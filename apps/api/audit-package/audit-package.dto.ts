import { IsOptionalInstant } from '../common/date-time';

export class AuditPackageQueryDto {
  @IsOptionalInstant('from', '2026-01-01T00:00:00Z', 'Start of the period (default: one year before `to`)')
  from?: string;

  @IsOptionalInstant('to', '2027-01-01T00:00:00Z', 'End of the period, exclusive (default: now; not before `from`)')
  to?: string;
}
