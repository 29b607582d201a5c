export * from './roles';
export * from './names';
export * from './ids';
export * from './governance-task';
export * from './activities';
export * from './refusals';
export * from './task-inputs';
