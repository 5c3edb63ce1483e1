/**
 * Measures the CPU time (user + system) of one full version list, through
 * our reader (`loadWorkspace` and `assets()`) or through the native baseline
 * (`readAll` of bench/native.ts), in this process. CPU time moves much less
 * than wall time when other processes share the cores, so it compares the
 * two engines on a loaded machine. Run it in a fresh process per repetition:
 *
 *   node --import tsx bench/list-cpu.ts ours|native WORKSPACE
 *
 * It prints one JSON line: engine, CPU and wall milliseconds, versions (ours)
 * or rows (native), and the peak RSS in MB.
 */
import path from 'node:path';
import { loadWorkspace } from '../src/core/index';
import { readAll } from './native';

async function main(): Promise<void> {
  const [engine, root] = process.argv.slice(2);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  let count: number;
  if (engine === 'ours') {
    const workspace = await loadWorkspace(root);
    count = workspace.assets().reduce((sum, asset) => sum + asset.versions.length, 0);
    workspace.dispose();
  } else if (engine === 'native') {
    count = readAll({ metadata: path.join(root, '.flowyml', 'metadata.db'), catalog: path.join(root, '.flowyml', 'catalog.db') }).length;
  } else {
    throw new Error(`Unknown engine "${engine}": expected ours or native.`);
  }
  const used = process.cpuUsage(cpu);
  const result = {
    engine,
    cpuMs: Math.round((used.user + used.system) / 1000),
    wallMs: Math.round(performance.now() - wall),
    count,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
