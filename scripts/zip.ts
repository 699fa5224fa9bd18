/**
 * Deterministic zip files (yazl): the same files give the same bytes, on any
 * machine, in any time zone, whenever they are made. `web-ext build` stamps
 * every entry with the file's mtime, so two clean builds of one commit made
 * different packages; here every entry gets one fixed time and mode, and the
 * entries are sorted by name.
 */
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ZipFile } from 'yazl';

/**
 * 2000-01-01 00:00 (a fixed date well inside the zip range, away from the
 * 1980 lower bound that yazl clamps to in its own time zone). Built from local-time
 * fields, at the moment of use, because zip (DOS) times are local-time fields:
 * the stored value is the same in every time zone. The extended (Unix, UTC)
 * timestamp is left out.
 */
export const ZIP_ENTRY_FIELDS = { year: 2000, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 } as const;
const entryTime = () => {
  const f = ZIP_ENTRY_FIELDS;
  return new Date(f.year, f.month - 1, f.day, f.hours, f.minutes, f.seconds);
};
const FILE_MODE = 0o100644;

export interface ZipEntry {
  /** Path inside the zip, with forward slashes. */
  name: string;
  data: Buffer;
}

/** Files under `dir`, recursively, as zip entries sorted by name; dotfiles are left out, as `web-ext build` does. */
export function entriesOfDir(dir: string): ZipEntry[] {
  const out: ZipEntry[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (d.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(child);
      else if (d.isFile()) out.push({ name: child, data: readFileSync(path.join(dir, child)) });
      else throw new Error(`${path.join(dir, child)}: neither a file nor a folder (a link?); a package holds files only`);
    }
  };
  walk('');
  return sortEntries(out);
}

/** By name, compared as bytes (not by locale): the same order everywhere. */
export function sortEntries(entries: ZipEntry[]): ZipEntry[] {
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** Writes `entries` in the given order to `outFile`, every entry with the same fixed time and mode. */
export async function writeZip(entries: readonly ZipEntry[], outFile: string): Promise<void> {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`${outFile}: ${e.name} is listed twice`);
    names.add(e.name);
  }
  mkdirSync(path.dirname(outFile), { recursive: true });
  const zip = new ZipFile();
  const mtime = entryTime();
  for (const e of entries) {
    zip.addBuffer(e.data, e.name, { mtime, mode: FILE_MODE, forceDosTimestamp: true, compressionLevel: 9 });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(outFile);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out);
  });
}
