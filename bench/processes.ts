/**
 * Memory of a browser's processes, read from Linux's /proc: the proportional
 * set size (PSS, shared pages divided among the processes that share them, so
 * what the zygote or the parent shares is not counted whole in every child)
 * and the resident set size beside it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  /** kB, from /proc/<pid>/smaps_rollup. */
  pss: number;
  rss: number;
}

/** The process's command line, arguments joined by spaces; '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** PSS and RSS of one process in kB, or null when it is gone (or /proc is not Linux's). */
export function memoryOf(pid: number): ProcessMemory | null {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? Number.NaN);
    return { pid, pss: field('Pss'), rss: field('Rss') };
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces and parentheses: read after its closing one.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Every live process descended from `root` (not `root` itself). */
export function descendantsOf(root: number): number[] {
  if (!existsSync('/proc')) return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The processes whose command line contains `marker` (Chromium's user-data-dir names one browser's processes). */
export function processesMentioning(marker: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && commandLine(pid).includes(marker));
}

/** Summed PSS and RSS (kB) of `pids`, with how many were read. */
export function totalMemory(pids: readonly number[]): { pss: number; rss: number; processes: number } {
  const read = pids.map(memoryOf).filter((m): m is ProcessMemory => m !== null);
  return { pss: read.reduce((a, m) => a + m.pss, 0), rss: read.reduce((a, m) => a + m.rss, 0), processes: read.length };
}
