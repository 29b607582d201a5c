import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ESCALATION_LEVELS, TASK_KINDS, TaskKind } from '../../../libs/domain';
import { OwnerAndKindFilterDto } from '../tasks/tasks.dto';
import { CADENCE_LABELS } from './cycles';

export class CyclesQueryDto {
  @ApiPropertyOptional({ enum: TASK_KINDS })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  @ApiPropertyOptional({ example: '2026-Q4' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, { message: 'period must be a period key such as 2026-Q4, 2026 or go-live' })
  period?: string;
}

export class OverdueQueryDto extends OwnerAndKindFilterDto {}

export class CycleRowView {
  @ApiProperty({ enum: TASK_KINDS }) kind!: string;
  @ApiProperty({ example: '2026-Q4' }) period!: string;
  @ApiProperty({ enum: CADENCE_LABELS }) cadence!: string;
  @ApiProperty() open!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty() approved!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty({ description: 'open + submitted + approved (cancelled work is not counted)' }) total!: number;
  @ApiProperty({ description: 'Work cancelled when its system was retired: neither done (coverage) nor missing (expected)' })
  cancelled!: number;
  @ApiProperty({ description: 'For the current quarter of high-risk-review: max(total, in-scope high-risk systems)' }) expected!: number;
  @ApiProperty({ example: 75.0 }) coveragePercent!: number;
}

export class LevelCountView {
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ enum: ESCALATION_LEVELS }) level!: string;
  @ApiProperty() count!: number;
}

export class OverdueTaskView {
  @ApiProperty() taskId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiProperty() escalationLevel!: number;
}

export class OverdueOwnerView {
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ type: String, nullable: true }) ownerName!: string | null;
  @ApiProperty({ type: String, nullable: true }) ownerEmail!: string | null;
  @ApiProperty() total!: number;
  @ApiProperty() highestEscalationLevel!: number;
  @ApiProperty({ type: String, format: 'date-time' }) oldestDueAt!: string;
  @ApiProperty({ type: [LevelCountView] }) byLevel!: LevelCountView[];
  @ApiProperty({ type: [OverdueTaskView] }) tasks!: OverdueTaskView[];
}

export class OverdueReportView {
  @ApiProperty({ type: String, format: 'date-time' }) asOf!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [LevelCountView] }) byLevel!: LevelCountView[];
  @ApiProperty({ type: [OverdueOwnerView] }) byOwner!: OverdueOwnerView[];
}

export class RecertificationSummaryView {
  @ApiProperty({ description: 'Systems in scope (not retired, not prohibited)' }) systemsInScope!: number;
  @ApiProperty({ description: 'Confirmed in their latest round, or in none yet' }) current!: number;
  @ApiProperty({ description: "In an open round, not confirmed, the owner's task not yet due" }) due!: number;
  @ApiProperty({ description: "Not confirmed when the owner's task fell due" }) stale!: number;
  @ApiProperty({ type: [String], description: 'The stale systems' }) staleSystemIds!: string[];
}

export class InventoryStatusView {
  @ApiProperty({ type: RecertificationSummaryView }) recertification!: RecertificationSummaryView;
}
