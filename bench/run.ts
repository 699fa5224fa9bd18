/**
 * `npm run bench`: runs every benchmark module in turn, prints its figures and
 * records them in bench/RESULTS.md with the date, Node and browser versions, so
 * a change in a figure can be traced to a commit. A benchmark reports; it never
 * fails the run over a MISS (timings belong to the machine, not to the code
 * alone), and a module that breaks is recorded as ERROR while the others run.
 *
 * To add one, write a module exporting an async function that returns a
 * BenchModuleResult and list it in BENCHES.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { browserVersion, chromiumPath, DIST_DIR, firefoxPath } from './browser/dist';
import { formatValue } from './figures';
import { runFirefoxBench } from './firefox';
import { runFirefoxSpeedBench } from './firefox-speed';
import { runMatcherBench } from './matcher';
import { runSizesBench } from './sizes';
import { runUnrelatedBench } from './unrelated';
import { runWarningBench } from './warning';
import { runWorkerBench } from './worker';
import { runConnectionsBench } from './connections';
import { runMemoryBench } from './memory';
import { runScaleBench } from './scale';

export interface BenchFigure {
  name: string;
  /** '/s' for rates, '×' for ratios, 'KB' for sizes in bytes, 'ms' for times, 'count' for things counted. */
  unit: '/s' | '×' | 'KB' | 'ms' | 'count';
  median: number;
  min: number;
  max: number;
  /** How many runs the median/min/max are over; 1 for a deterministic measurement. */
  runs?: number;
  /** The goal in words, always relative to something measured in the same run (or a budget). */
  goal: string;
  /** null: reported without a goal. */
  pass: boolean | null;
  /** The absolute figures behind a ratio, and how they were obtained. */
  detail?: string;
}

export interface BenchModuleResult {
  name: string;
  figures: BenchFigure[];
  /** What is printed: one line per figure (`name: value (goal …) PASS/MISS`), or why the module was skipped. */
  lines: string[];
  /** Skips, build state and caveats, recorded in RESULTS.md. */
  notes?: string[];
}

export interface BenchModule {
  name: string;
  run: () => Promise<BenchModuleResult>;
}

export const BENCHES: readonly BenchModule[] = [
  { name: 'matcher', run: runMatcherBench },
  { name: 'sizes', run: runSizesBench },
  { name: 'warning', run: runWarningBench },
  { name: 'firefox', run: runFirefoxBench },
  { name: 'firefox-speed', run: runFirefoxSpeedBench },
  { name: 'unrelated', run: runUnrelatedBench },
  { name: 'worker', run: runWorkerBench },
  // Pre-connect protection (bench/connections.ts).
  { name: 'connections', run: runConnectionsBench },
  { name: 'memory', run: runMemoryBench },
  { name: 'scale', run: runScaleBench },
];

const RESULTS_PATH = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const verdict = (f: BenchFigure): string => (f.pass === null ? 'reported' : f.pass ? 'PASS' : 'MISS');

/** `Goals: 9 PASS, 2 MISS (…); 6 reported without a goal; 0 modules broke`. */
function summaryLine(results: readonly BenchModuleResult[]): string {
  const all = results.flatMap((r) => r.figures.map((f) => ({ module: r.name, f })));
  const missed = all.filter(({ f }) => f.pass === false).map(({ module, f }) => `${module} · ${f.name}`);
  const passed = all.filter(({ f }) => f.pass === true).length;
  const reported = all.filter(({ f }) => f.pass === null).length;
  const broke = results.filter((r) => (r.notes ?? []).some((n) => n.startsWith('ERROR'))).length;
  return (
    `Goals: ${passed} PASS, ${missed.length} MISS${missed.length > 0 ? ` (${missed.join('; ')})` : ''}; ` +
    `${reported} reported without a goal; ${broke} module(s) broke`
  );
}
const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n\s*/g, ' ');

function resultsMarkdown(results: readonly BenchModuleResult[], startedAt: Date, seconds: number, versions: string[], load: string): string {
  const rows = results.flatMap((r) =>
    r.figures.map(
      (f) =>
        `| ${r.name} | ${escapeCell(f.name)} | ${formatValue(f.median, f.unit)} | ${formatValue(f.min, f.unit)} | ${formatValue(f.max, f.unit)} | ${f.runs ?? ''} | ${escapeCell(f.goal)} | ${verdict(f)} |`,
    ),
  );
  const details = results.flatMap((r) => r.figures.filter((f) => f.detail).map((f) => `- ${r.name} · ${f.name}: ${f.detail}`));
  const notes = results.flatMap((r) => (r.notes ?? []).map((n) => `- ${r.name}: ${n}`));
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every goal is a ratio',
    'measured in the same run (or a size budget), so figures from different machines stay comparable.',
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Node: ${process.version} (${process.platform}/${process.arch})`,
    `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    ...versions.map((v) => `- ${v}`),
    `- Run time: ${seconds.toFixed(1)} s`,
    `- Load average (1 min) at start and end: ${load} (timings are only as quiet as the machine was)`,
    '',
    summaryLine(results),
    '',
    '| module | figure | median | min | max | runs | goal | result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## How each figure was obtained',
    '',
    ...details,
    ...(notes.length > 0 ? ['', '## Notes', '', ...[...new Set(notes)]] : []),
    '',
  ].join('\n');
}

export async function runBenches(modules: readonly BenchModule[] = BENCHES): Promise<BenchModuleResult[]> {
  const partial = modules.length < BENCHES.length;
  const loadAtStart = loadavg()[0]!;
  const startedAt = new Date();
  const versions = [
    `Chromium: ${browserVersion(chromiumPath())}`,
    `Firefox: ${browserVersion(firefoxPath())}`,
    `Build measured: ${DIST_DIR} (BENCH_DIST_DIR)`,
  ];
  for (const v of versions) console.log(v);
  const results: BenchModuleResult[] = [];
  for (const module of modules) {
    console.log(`── ${module.name}`);
    const moduleStart = Date.now();
    let result: BenchModuleResult;
    try {
      result = await module.run();
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      result = { name: module.name, figures: [], lines: [`ERROR (the benchmark broke, not a MISS): ${message}`], notes: [`ERROR: ${message.split('\n')[0]}`] };
    }
    for (const text of result.lines) console.log(text);
    console.log(`   (${((Date.now() - moduleStart) / 1000).toFixed(1)} s)`);
    results.push(result);
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const figures = results.reduce((n, r) => n + r.figures.length, 0);
  console.log(`\n${summaryLine(results)}`);
  if (partial) {
    console.log(`\n${figures} figures in ${seconds.toFixed(1)} s (a partial run: bench/RESULTS.md left as it was)`);
  } else {
    writeFileSync(RESULTS_PATH, resultsMarkdown(results, startedAt, seconds, versions, `${loadAtStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`));
    console.log(`\n${figures} figures in ${seconds.toFixed(1)} s → bench/RESULTS.md (load average ${loadAtStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)})`);
  }
  return results;
}

// Run only as the entry point, so bench modules can import the types above.
// `npm run bench -- warning sizes` runs only the named modules.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const only = process.argv.slice(2);
  await runBenches(only.length > 0 ? BENCHES.filter((m) => only.includes(m.name)) : BENCHES);
}
