export * from './data-source';
export {
  appendAuditEvents,
  auditHash,
  auditHeadLine,
  auditHeadLines,
  auditRowHash,
  compareStreamIds,
  GENESIS_HASH,
  streamAuditHash,
  verifyAuditChain,
} from './audit-trail';
export type { AuditChain, AuditChainReport, AuditEventInput, AuditHead } from './audit-trail';
export * from './audit-streams';
export * from './entities';
export * from './read-models';
export * from './statement-of-applicability';
export * from './inventory-recertification';
export * from './policies';
export * from './audit-programme';
export * from './management-reviews';
export * from './web-sessions';
export * from './calendar-feeds';
export * from './system-imports';
