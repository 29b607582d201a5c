import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FORM_FIELD_TYPES } from '../../../libs/domain';

export class FormOptionView {
  @ApiProperty({ description: 'The answer, as sent in answers' }) value!: string;
  @ApiProperty() label!: string;
}

/** One field of a form, as libs/domain FormField. */
export class FormFieldView {
  @ApiProperty({ example: 'dataDrift', description: 'The key of its answer: answers.<name>' }) name!: string;
  @ApiProperty() label!: string;
  @ApiPropertyOptional() help?: string;
  @ApiProperty({ enum: FORM_FIELD_TYPES }) type!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ type: [FormOptionView], description: 'The choices of a select or multiselect' }) options?: FormOptionView[];
  @ApiPropertyOptional({ description: "A number's least value; the fewest choices of a multiselect or links of a urls field" })
  min?: number;
  @ApiPropertyOptional({ description: "A number's largest value; the most choices of a multiselect or links of a urls field" })
  max?: number;
  @ApiPropertyOptional({ description: 'The most characters of a text or textarea (once trimmed)' }) maxLength?: number;
}

export class FormView {
  @ApiProperty({ example: 'high-risk-review', description: 'The kind of work it is submitted with (a task’s formKind)' }) kind!: string;
  @ApiProperty({ description: 'Recorded with each submission; a changed form has a higher one' }) version!: number;
  @ApiProperty() title!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: [FormFieldView] }) fields!: FormFieldView[];
}

export class FormList {
  @ApiProperty({ type: [FormView] }) items!: FormView[];
}

export class FormRefView {
  @ApiProperty({ example: 'high-risk-review' }) kind!: string;
  @ApiProperty({ example: 1 }) version!: number;
}

/** What a submission stored: the form (kind and version) the answers were given to, and the answers. */
export class FormSubmissionView {
  @ApiProperty({ type: FormRefView }) form!: FormRefView;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The answers, by field name' }) answers!: Record<string, unknown>;
}
