/**
 * The worker node names kind gives a cluster made from `configText`: `<name>-worker`,
 * `<name>-worker2`, … in the order the config lists them (read from the config: no cluster needed).
 */
export function kindWorkerNames(configText: string, cluster: string): string[] {
  const workers = configText.split("\n").filter((l) => /^\s*-\s*role:\s*worker\s*$/.test(l)).length;
  return Array.from({ length: workers }, (_, i) => `${cluster}-worker${i === 0 ? "" : i + 1}`);
}
