/**
 * Replays every recorded history (test/replay/histories, recorded by the workflow tests with
 * RECORD_HISTORIES=1) against the current workflows/: a change that would break running
 * workflows (non-determinism) fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_TYPES } from '../../libs/contracts';
import { historyFiles, historyFromJson } from '../support/histories';

jest.setTimeout(120_000);

const files = historyFiles();

test('there are recorded histories of every workflow type', () => {
  expect(files.length).toBeGreaterThan(0);
  const types = new Set(files.map((f) => path.basename(f).split('-')[0]));
  for (const type of Object.values(WORKFLOW_TYPES)) expect({ type, recorded: types.has(type) }).toEqual({ type, recorded: true });
});

test('every recorded history replays without non-determinism', async () => {
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJson(JSON.parse(fs.readFileSync(file, 'utf8'))),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../../workflows') }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message ?? String(result.error)}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
