/**
 * The worker's start-up check that its namespace has the product's custom search attributes
 * (libs/contracts/search-attributes.ts). Without them every workflow task of the task, incident
 * and corrective-action workflows fails ("search attribute AimsKind is not defined"), so a
 * worker against a cluster that lacks them refuses to start and names the command that adds them.
 * Where the namespace cannot be listed (no permission, a server without the call), it warns and starts.
 */
import { searchAttributeCliType, searchAttributeGaps, searchAttributesCreateCommand } from '../../libs/contracts';

export interface SearchAttributeLister {
  listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, number> | null }>;
}

export class MissingSearchAttributesError extends Error {
  override name = 'MissingSearchAttributesError';
}

const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNIMPLEMENTED = 12;

export async function checkSearchAttributes(
  operator: SearchAttributeLister,
  namespace: string,
  warn: (message: string) => void,
): Promise<void> {
  let existing: Record<string, number>;
  try {
    existing = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    const code = (err as { code?: number })?.code;
    if (code !== GRPC_PERMISSION_DENIED && code !== GRPC_UNIMPLEMENTED) throw err;
    warn(
      `could not list the search attributes of namespace ${namespace} (${(err as Error).message}); ` +
        `if they are missing, every workflow task fails: ${searchAttributesCreateCommand(namespace)}`,
    );
    return;
  }
  const { missing, wrongType } = searchAttributeGaps(existing);
  if (!missing.length && !wrongType.length) return;
  const problems = [
    ...(missing.length ? [`missing ${missing.map((k) => `${k.name} (${searchAttributeCliType(k.type)})`).join(', ')}`] : []),
    ...wrongType.map((w) => `${w.name} is registered with another type, not ${searchAttributeCliType(w.expected)}`),
  ];
  throw new MissingSearchAttributesError(
    `namespace ${namespace} lacks the search attributes the workflows set (${problems.join('; ')}); ` +
      `register them once with: ${searchAttributesCreateCommand(namespace)}`,
  );
}
