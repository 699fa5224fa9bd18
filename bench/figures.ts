/**
 * Small shared pieces for the benchmark modules: summary statistics and the
 * printed line of a figure. Kept apart from run.ts so a module can import them
 * without importing the runner.
 */
import type { BenchFigure } from './run';
import { until as pollUntil } from '../tests/e2e/harness/until';

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export const median = (values: readonly number[]): number => summarize(values).median;

/** One value in the figure's unit: `1.23×`, `812/s`, `4.2 ms`, `6.2 KB`, `0`. */
export function formatValue(n: number, unit: BenchFigure['unit']): string {
  if (Number.isNaN(n)) return 'n/a';
  switch (unit) {
    case '/s':
      return `${Math.round(n).toLocaleString('en-US')}/s`;
    case '×':
      return `${n.toFixed(2)}×`;
    case 'ms':
      return `${n.toFixed(1)} ms`;
    case 'KB':
      return `${(n / 1024).toFixed(1)} KB`;
    case 'count':
      return String(Math.round(n));
  }
}

/** `name: median [min–max over N runs] (goal …) PASS/MISS`, then the detail on its own line. */
export function figureLine(f: BenchFigure): string {
  const runs = f.runs === undefined ? '' : f.runs === 1 ? ' [1 measurement]' : ` [${formatValue(f.min, f.unit)}–${formatValue(f.max, f.unit)} over ${f.runs} runs]`;
  const verdict = f.pass === null ? 'REPORTED' : f.pass ? 'PASS' : 'MISS';
  const head = `${f.name}: ${formatValue(f.median, f.unit)}${runs} (goal ${f.goal}) ${verdict}`;
  return f.detail ? `${head}\n    ${f.detail}` : head;
}

/** A figure from a series of per-run values. */
export function seriesFigure(
  name: string,
  unit: BenchFigure['unit'],
  values: readonly number[],
  goal: string,
  pass: (median: number) => boolean | null,
  detail?: string,
): BenchFigure {
  const s = summarize(values);
  return { name, unit, ...s, runs: values.length, goal, pass: values.length === 0 ? null : pass(s.median), ...(detail ? { detail } : {}) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The harness's wait loop, polling every 50 ms for the benchmarks' finer timings. */
export const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 50): Promise<T> =>
  pollUntil(what, timeoutMs, probe, everyMs);

/**
 * How many timed rounds a module runs: its own default, or BENCH_ROUNDS when
 * set (a quick check that every module works and prints its figures, e.g.
 * BENCH_ROUNDS=3; the figures of such a run are not worth quoting).
 */
export function benchRounds(fallback: number): number {
  const n = Number(process.env.BENCH_ROUNDS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
