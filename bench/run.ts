/**
 * `npm run bench`: runs every benchmark module in turn, prints its figures and
 * records them in bench/RESULTS.md with the date and Node version, so a change
 * in a figure can be traced to a commit. A benchmark reports; it never fails
 * the run over a MISS (timings belong to the machine, not to the code alone).
 *
 * To add one (real-browser timing, bundle sizes), write a module exporting an
 * async function that returns a BenchModuleResult and list it in BENCHES.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runMatcherBench } from './matcher';

export interface BenchFigure {
  name: string;
  /** '/s' for rates, '×' for ratios. */
  unit: '/s' | '×';
  median: number;
  min: number;
  max: number;
  /** The goal in words, always relative to something measured in the same run. */
  goal: string;
  pass: boolean;
}

export interface BenchModuleResult {
  name: string;
  figures: BenchFigure[];
  /** One printable line per figure: `name: value (goal …) PASS/MISS`. */
  lines: string[];
}

export interface BenchModule {
  name: string;
  run: () => Promise<BenchModuleResult>;
}

export const BENCHES: readonly BenchModule[] = [{ name: 'matcher', run: runMatcherBench }];

const RESULTS_PATH = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const cell = (n: number, unit: BenchFigure['unit']): string =>
  unit === '/s' ? `${Math.round(n).toLocaleString('en-US')}/s` : `${n.toFixed(2)}×`;

function resultsMarkdown(results: readonly BenchModuleResult[], startedAt: Date, seconds: number): string {
  const rows = results.flatMap((r) =>
    r.figures.map(
      (f) =>
        `| ${r.name} | ${f.name} | ${cell(f.median, f.unit)} | ${cell(f.min, f.unit)} | ${cell(f.max, f.unit)} | ${f.goal} | ${f.pass ? 'PASS' : 'MISS'} |`,
    ),
  );
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every goal is a ratio',
    'measured in the same run, so figures from different machines stay comparable.',
    '',
    `- Date: ${startedAt.toISOString()}`,
    `- Node: ${process.version} (${process.platform}/${process.arch})`,
    `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    `- Run time: ${seconds.toFixed(1)} s`,
    '',
    '| module | figure | median | min | max | goal | result |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export async function runBenches(modules: readonly BenchModule[] = BENCHES): Promise<BenchModuleResult[]> {
  const startedAt = new Date();
  const results: BenchModuleResult[] = [];
  for (const module of modules) {
    console.log(`── ${module.name}`);
    const result = await module.run();
    for (const text of result.lines) console.log(text);
    results.push(result);
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  writeFileSync(RESULTS_PATH, resultsMarkdown(results, startedAt, seconds));
  console.log(`\n${results.reduce((n, r) => n + r.figures.length, 0)} figures in ${seconds.toFixed(1)} s → bench/RESULTS.md`);
  return results;
}

// Run only as the entry point, so bench modules can import the types above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runBenches();
}
