/** EU AI Act risk tiers and the ISO 42001 life-cycle stages of an AI system. */

export const RISK_TIERS = ['unacceptable', 'high', 'limited', 'minimal'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const LIFECYCLE_STAGES = [
  'inception',
  'design_and_development',
  'verification_and_validation',
  'deployment',
  'operation_and_monitoring',
  're_evaluation',
  'retirement',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/**
 * The tiers and stage the scope rules below turn on, named so the read-model SQL
 * (libs/persistence/read-models.ts) is built from the same values.
 */
export const PROHIBITED_TIER = 'unacceptable' satisfies RiskTier;
export const QUARTERLY_REVIEW_TIER = 'high' satisfies RiskTier;
export const RETIRED_STAGE = 'retirement' satisfies LifecycleStage;

/** Prohibited systems may be registered (to be phased out) but never get a cadence. */
export function isProhibited(tier: RiskTier): boolean {
  return tier === PROHIBITED_TIER;
}

/** Retired and prohibited systems are out of scope of every recurring cadence. */
export function isInCadenceScope(system: { riskTier: RiskTier; lifecycleStage: LifecycleStage }): boolean {
  return system.lifecycleStage !== RETIRED_STAGE && !isProhibited(system.riskTier);
}

/** "100% coverage": every high-risk system is reviewed each calendar quarter. */
export function needsQuarterlyReview(system: { riskTier: RiskTier; lifecycleStage: LifecycleStage }): boolean {
  return isInCadenceScope(system) && system.riskTier === QUARTERLY_REVIEW_TIER;
}

/**
 * The stages in which a system is in use ("in operation"). A system registered in one of them
 * with no go-live date is already live: it needs an initial AI impact assessment.
 */
export const OPERATING_STAGES = ['operation_and_monitoring', 're_evaluation'] as const satisfies readonly LifecycleStage[];

export function isOperatingStage(stage: LifecycleStage): boolean {
  return (OPERATING_STAGES as readonly LifecycleStage[]).includes(stage);
}
