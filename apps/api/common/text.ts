import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A required free text, trimmed; blank is refused (a reason, a summary). */
export function RequiredText(maxLength: number, description: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ maxLength, description }), Transform(trim), IsString(), IsNotEmpty(), MaxLength(maxLength));
}

/** An optional free text, trimmed. */
export function OptionalText(maxLength: number, description: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ maxLength, description }), IsOptional(), Transform(trim), IsString(), MaxLength(maxLength));
}
