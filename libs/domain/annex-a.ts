/**
 * ISO/IEC 42001:2023 Annex A: 38 controls under objectives A.2-A.10, in the standard's own
 * numbering, and the rules of the Statement of Applicability over them (what every audit
 * starts from: each control applicable or excluded, an exclusion justified, an owner, an
 * implementation status, the evidence that shows it).
 */

export interface AnnexAObjective {
  id: string;
  title: string;
  controls: ReadonlyArray<{ id: string; title: string }>;
}

export const ANNEX_A: readonly AnnexAObjective[] = [
  {
    id: 'A.2',
    title: 'Policies related to AI',
    controls: [
      { id: 'A.2.2', title: 'AI policy' },
      { id: 'A.2.3', title: 'Alignment with other organizational policies' },
      { id: 'A.2.4', title: 'Review of the AI policy' },
    ],
  },
  {
    id: 'A.3',
    title: 'Internal organization',
    controls: [
      { id: 'A.3.2', title: 'AI roles and responsibilities' },
      { id: 'A.3.3', title: 'Reporting of concerns' },
    ],
  },
  {
    id: 'A.4',
    title: 'Resources for AI systems',
    controls: [
      { id: 'A.4.2', title: 'Resource documentation' },
      { id: 'A.4.3', title: 'Data resources' },
      { id: 'A.4.4', title: 'Tooling resources' },
      { id: 'A.4.5', title: 'System and computing resources' },
      { id: 'A.4.6', title: 'Human resources' },
    ],
  },
  {
    id: 'A.5',
    title: 'Assessing impacts of AI systems',
    controls: [
      { id: 'A.5.2', title: 'AI system impact assessment process' },
      { id: 'A.5.3', title: 'Documentation of AI system impact assessments' },
      { id: 'A.5.4', title: 'Assessing AI system impact on individuals or groups of individuals' },
      { id: 'A.5.5', title: 'Assessing societal impacts of AI systems' },
    ],
  },
  {
    id: 'A.6',
    title: 'AI system life cycle',
    controls: [
      { id: 'A.6.1.2', title: 'Objectives for responsible development of AI system' },
      { id: 'A.6.1.3', title: 'Processes for responsible AI system design and development' },
      { id: 'A.6.2.2', title: 'AI system requirements and specification' },
      { id: 'A.6.2.3', title: 'Documentation of AI system design and development' },
      { id: 'A.6.2.4', title: 'AI system verification and validation' },
      { id: 'A.6.2.5', title: 'AI system deployment' },
      { id: 'A.6.2.6', title: 'AI system operation and monitoring' },
      { id: 'A.6.2.7', title: 'AI system technical documentation' },
      { id: 'A.6.2.8', title: 'AI system recording of event logs' },
    ],
  },
  {
    id: 'A.7',
    title: 'Data for AI systems',
    controls: [
      { id: 'A.7.2', title: 'Data for development and enhancement of AI system' },
      { id: 'A.7.3', title: 'Acquisition of data' },
      { id: 'A.7.4', title: 'Quality of data for AI systems' },
      { id: 'A.7.5', title: 'Data provenance' },
      { id: 'A.7.6', title: 'Data preparation' },
    ],
  },
  {
    id: 'A.8',
    title: 'Information for interested parties of AI systems',
    controls: [
      { id: 'A.8.2', title: 'System documentation and information for users' },
      { id: 'A.8.3', title: 'External reporting' },
      { id: 'A.8.4', title: 'Communication of incidents' },
      { id: 'A.8.5', title: 'Information for interested parties' },
    ],
  },
  {
    id: 'A.9',
    title: 'Use of AI systems',
    controls: [
      { id: 'A.9.2', title: 'Processes for responsible use of AI systems' },
      { id: 'A.9.3', title: 'Objectives for responsible use of AI system' },
      { id: 'A.9.4', title: 'Intended use of the AI system' },
    ],
  },
  {
    id: 'A.10',
    title: 'Third-party and customer relationships',
    controls: [
      { id: 'A.10.2', title: 'Allocating responsibilities' },
      { id: 'A.10.3', title: 'Suppliers' },
      { id: 'A.10.4', title: 'Customers' },
    ],
  },
];

export interface AnnexAControl {
  id: string;
  title: string;
  objectiveId: string;
  objectiveTitle: string;
}

/** Every control, in the standard's order. */
export const ANNEX_A_CONTROLS: readonly AnnexAControl[] = ANNEX_A.flatMap((o) =>
  o.controls.map((c) => ({ id: c.id, title: c.title, objectiveId: o.id, objectiveTitle: o.title })),
);

const CONTROL_IDS = new Set(ANNEX_A_CONTROLS.map((c) => c.id));

export function isAnnexAControl(id: string): boolean {
  return CONTROL_IDS.has(id);
}

/** The shape of a control id (`A.6.2.4`), known or not: a malformed one is a 400, an unknown one a 404. */
export const CONTROL_ID_PATTERN = '^A\\.(?:[2-9]|10)(?:\\.[1-9]\\d?){1,2}$';

/** `undecided` until the SoA says; only `applicable` or `excluded` can be chosen. */
export const SOA_APPLICABILITY = ['undecided', 'applicable', 'excluded'] as const;
export type SoaApplicability = (typeof SOA_APPLICABILITY)[number];
export const SOA_DECISIONS = ['applicable', 'excluded'] as const;

export const IMPLEMENTATION_STATUSES = ['not_started', 'planned', 'in_progress', 'implemented'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** A control's line in the Statement of Applicability. */
export interface SoaEntry {
  controlId: string;
  applicability: SoaApplicability;
  /** Why the control is excluded (required then); may explain an inclusion too. */
  justification: string | null;
  ownerId: string | null;
  implementationStatus: ImplementationStatus;
  /** Links or references to what shows the control works. */
  evidence: string[];
}

/** Where a new SoA entry breaks the rules, by field (empty when it holds). */
export function soaEntryProblems(entry: SoaEntry): Array<{ field: keyof SoaEntry; message: string }> {
  const problems: Array<{ field: keyof SoaEntry; message: string }> = [];
  if (entry.applicability === 'excluded' && !entry.justification?.trim()) {
    problems.push({ field: 'justification', message: `justification is required to exclude ${entry.controlId}` });
  }
  return problems;
}

/** The entry every control starts from, before the SoA decides. */
export function initialSoaEntry(controlId: string): SoaEntry {
  return { controlId, applicability: 'undecided', justification: null, ownerId: null, implementationStatus: 'not_started', evidence: [] };
}
