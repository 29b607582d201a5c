/**
 * Records workflow histories for the replay tests: with RECORD_HISTORIES=1 the workflow
 * tests save each handle's history to test/replay/histories/<workflowType>-<case>.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import type { WorkflowHandle } from '@temporalio/client';
import { testEnv } from './test-env';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'replay', 'histories');

export function recordingHistories(): boolean {
  return testEnv.recordHistories;
}

/**
 * The SDK's historyToJSON/historyFromJSON need @temporalio/common's copy of protobufjs to be the
 * one @temporalio/proto was built with; with this install they are two copies and both fail
 * ("type must be a Type"). Fall back to the protojson of @temporalio/proto's own protobufjs,
 * which reads and writes the same canonical proto3 JSON (what `temporal workflow show -o json` gives).
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}
function protoJson(): { pj: ProtoJson; historyType: unknown } {
  const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pj = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
  const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
  return { pj, historyType: root.lookupType('temporal.api.history.v1.History') };
}

export function historyToJson(history: History): unknown {
  try {
    return JSON.parse(historyToJSON(history));
  } catch {
    const { pj, historyType } = protoJson();
    return pj.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
  }
}

export function historyFromJson(json: unknown): History {
  try {
    return historyFromJSON(json);
  } catch {
    const { pj, historyType } = protoJson();
    return pj.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
  }
}

/** Saves the history when RECORD_HISTORIES=1; returns the file written, if any. */
export async function recordHistory(
  handle: Pick<WorkflowHandle, 'fetchHistory'>,
  workflowType: string,
  caseName: string,
): Promise<string | undefined> {
  if (!recordingHistories()) return undefined;
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const file = path.join(HISTORIES_DIR, `${workflowType}-${caseName}.json`);
  fs.writeFileSync(file, `${JSON.stringify(historyToJson(history), null, 2)}\n`);
  return file;
}

/** Every recorded history file, sorted by name. */
export function historyFiles(): string[] {
  if (!fs.existsSync(HISTORIES_DIR)) return [];
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(HISTORIES_DIR, f));
}
