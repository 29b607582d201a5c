/** tools/stack getFreePorts: distinct ports below the ephemeral range, each free to bind. */
import { FREE_PORT_RANGE, getFreePorts, isPortFree } from '../../tools/stack/ports';

it('hands out distinct free ports below the ephemeral range, never the same one twice in a process', async () => {
  const first = await getFreePorts(20);
  const second = await getFreePorts(20);
  const all = [...first, ...second];
  expect(new Set(all).size).toBe(all.length);
  for (const port of all) {
    expect(port).toBeGreaterThanOrEqual(FREE_PORT_RANGE.from);
    expect(port).toBeLessThanOrEqual(FREE_PORT_RANGE.to);
    expect(FREE_PORT_RANGE.to).toBeLessThan(32_768);
  }
  expect(await Promise.all(first.map((p) => isPortFree(p)))).toEqual(first.map(() => true));
});
