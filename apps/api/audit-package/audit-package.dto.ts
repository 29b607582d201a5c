import { IsOptionalQueryInstant } from '../common/date-time';

export class AuditPackageQueryDto {
  @IsOptionalQueryInstant('from', '2026-01-01T00:00:00Z', 'Start of the period (default: one year before `to`)')
  from?: string;

  @IsOptionalQueryInstant('to', '2027-01-01T00:00:00Z', 'End of the period, exclusive (default: now; not before `from`)')
  to?: string;
}
