export * from './data-source';
export * from './audit-trail';
export * from './audit-streams';
export * from './entities';
export * from './read-models';
