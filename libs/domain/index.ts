export * from './time';
export * from './tiers';
export * from './periods';
export * from './ladder';
export * from './cadences';
export * from './kpi';
export * from './regimes';
