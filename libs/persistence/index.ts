export * from './data-source';
export * from './audit-trail';
export * from './entities';
export * from './case-records';
