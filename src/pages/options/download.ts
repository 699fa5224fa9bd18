/**
 * Saves text as a file through the browser's own download of a Blob URL:
 * no network request, no downloads permission.
 */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Firefox needs the URL alive until the download has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `2025-02-06` in local time, for file names. */
export function dayStamp(now: number): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
