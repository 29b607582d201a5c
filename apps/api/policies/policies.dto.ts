import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { POLICY_REVIEW_OUTCOMES, POLICY_REVIEW_TRIGGERS, POLICY_VERSION_MAX } from '../../../libs/domain';
import { MinProperties } from '../common/openapi-contract';
import { RequiredText, trim } from '../common/text';

/** A version label: one line, no control characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const ONE_LINE = /^[^\u0000-\u001f\u007f]+$/;

function DocumentUrl(description: string): PropertyDecorator {
  return (target, key) => {
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
      { message: `${String(key)} must be an http(s) URL` },
    )(target, key);
    MaxLength(2000)(target, key);
    ApiProperty({ maxLength: 2000, format: 'uri', example: 'https://docs.example.com/ai-policy-v1.pdf', description })(target, key);
  };
}

function Version(description: string, required: boolean): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({ minLength: 1, maxLength: POLICY_VERSION_MAX, example: '1.0', description })(
      target,
      key,
    );
    Transform(trim)(target, key);
    IsString()(target, key);
    Length(1, POLICY_VERSION_MAX)(target, key);
    Matches(ONE_LINE, { message: `${String(key)} must be one line without control characters` })(target, key);
  };
}

export class CreatePolicyDto {
  @RequiredText(200, 'The policy, e.g. "AI policy" (ISO/IEC 42001 5.2)')
  title!: string;

  @ApiProperty({ format: 'uuid', description: 'The person who owns (and reviews) the policy: an active person' })
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId!: string;

  @Version('The version in force', true)
  version!: string;

  @DocumentUrl('Where the policy document is')
  documentUrl!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Who approved the version in force: an active person other than the owner' })
  @IsOptional()
  @IsUUID('all', { message: 'approvedBy must be a UUID' })
  approvedBy?: string;
}

/** A change to a policy's record; its version changes only through an approved review. */
@MinProperties(1)
export class UpdatePolicyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The new owner: an active person' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    format: 'uri',
    description: 'Where the document of the version in force is (moved, not revised)',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'documentUrl must be an http(s) URL' })
  @MaxLength(2000)
  documentUrl?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Who approved the version in force (not the owner)' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'approvedBy must be a UUID' })
  approvedBy?: string | null;
}

/** Body of `POST /policies/:id/major-change`. */
export class MajorChangeDto {
  @RequiredText(2000, 'What changed (regulation, strategy, a new kind of AI use) and why the policy must be reviewed now')
  reason!: string;
}

/** The owner's submission of a review. */
export class SubmitPolicyReviewDto {
  @RequiredText(10000, 'What the review found and changed')
  summary!: string;

  @Version('The version after the review: the current one (reviewed, no change) or a new one (revised)', true)
  newVersion!: string;

  @ApiPropertyOptional({ maxLength: 2000, format: 'uri', description: 'The revised document (a new document needs a new version)' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'documentUrl must be an http(s) URL' })
  @MaxLength(2000)
  documentUrl?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['https://wiki.example.com/policy-review-2026'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { each: true, message: 'each value in evidenceUrls must be an http(s) URL' },
  )
  @MaxLength(2000, { each: true })
  evidenceUrls?: string[];
}

export class PolicyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ example: '1.0' }) version!: string;
  @ApiProperty({ format: 'uri' }) documentUrl!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) approvedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When its last review was approved' })
  lastReviewedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

class PolicyReviewSubmissionView {
  @ApiProperty({ format: 'uuid' }) by!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() newVersion!: string;
  @ApiProperty() documentUrl!: string;
  @ApiProperty({ enum: POLICY_REVIEW_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: [String] }) evidenceUrls!: string[];
}

export class PolicyReviewView {
  @ApiProperty({ example: 'policy:3f6c2a1e-0000-4000-8000-000000000000:review:major-change-1' }) reviewId!: string;
  @ApiProperty({ example: 'major-change-1', description: 'The year of a yearly review, or major-change-<n>' }) key!: string;
  @ApiProperty({ enum: POLICY_REVIEW_TRIGGERS }) trigger!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ example: 'policy-review:3f6c2a1e-0000-4000-8000-000000000000:major-change-1' }) taskId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The owner's task's state (open again after a rejection)" })
  taskState!: string | null;
  @ApiProperty({ enum: ['opening', 'open', 'submitted', 'approved', 'cancelled'] }) state!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', description: '30 calendar days after the opening, in AIMS_TIMEZONE' }) dueAt!: string;
  @ApiProperty() previousVersion!: string;
  @ApiPropertyOptional({ type: PolicyReviewSubmissionView }) submission?: PolicyReviewSubmissionView;
  @ApiPropertyOptional({ enum: POLICY_REVIEW_OUTCOMES }) outcome?: string;
  @ApiPropertyOptional() newVersion?: string;
  @ApiPropertyOptional() documentUrl?: string;
  @ApiPropertyOptional({ format: 'uuid' }) approvedBy?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) approvedAt?: string;
}

export class PolicyDetailView extends PolicyView {
  @ApiProperty({ type: [PolicyReviewView], description: 'Open and past reviews, the latest opened first' })
  reviews!: PolicyReviewView[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The next run of the yearly review (the Schedule org:policy-review), null when there is none',
  })
  nextYearlyReviewAt!: string | null;
}

/** The review a major change opened (or, for a repeat of the same change while it is open, the one it had opened). */
export class MajorChangeView {
  @ApiProperty({ format: 'uuid' }) policyId!: string;
  @ApiProperty() reviewId!: string;
  @ApiProperty({ example: 'major-change-1' }) key!: string;
  @ApiProperty({ example: 'policy-review:3f6c2a1e-0000-4000-8000-000000000000:major-change-1' }) taskId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'false when the same change (same reason, its review still open) was already recorded' }) created!: boolean;
}
