export * from './data-source';
export { auditHash, verifyAuditChain, GENESIS_HASH } from './audit-trail';
export type { AuditChainReport } from './audit-trail';
export * from './audit-streams';
export * from './entities';
export * from './read-models';
export * from './statement-of-applicability';
export * from './inventory-recertification';
export * from './policies';
