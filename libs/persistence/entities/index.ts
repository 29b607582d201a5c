/** TypeORM entities; each maps one table of the committed migrations. */
export const ENTITIES: Function[] = [];
