import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'aims:isPublic';

/** The route (or controller) needs no bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
