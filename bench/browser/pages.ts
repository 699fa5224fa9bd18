/**
 * The local sites the browser benchmarks visit:
 * - start.test: a neutral page every timed navigation starts from;
 * - plain.test: the baseline for the time to warning, a plain web page with the
 *   interstitial's weight (same HTML size, same number and sizes of stylesheets
 *   and module scripts, the same icon) but none of its logic: its scripts are
 *   size-matched comments around one trivial statement. Warmed the same way:
 *   the interstitial's files come from the installed package, so the plain
 *   page's sub-resources are cacheable and come from the HTTP cache after the
 *   warm-up runs; its document is fetched on every visit (loopback, ~1 ms);
 * - unrelated.test: an ordinary site with sub-resources, for the cost on sites
 *   the policy does not cover;
 * - any other host (the banned ones): a stand-in service page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PageFiles } from './dist';
import type { Resource, Routes } from '../../tests/e2e/harness/server';

export const START_HOST = 'start.test';
export const PLAIN_HOST = 'plain.test';
export const UNRELATED_HOST = 'unrelated.test';

const HTML = 'text/html; charset=utf-8';

/** `body` padded with a comment in `open … close` to exactly `bytes` (never truncated). */
function padTo(body: string, bytes: number, open: string, close: string): string {
  const room = bytes - Buffer.byteLength(body) - open.length - close.length;
  return room > 0 ? `${body}${open}${'x'.repeat(room)}${close}` : body;
}

const CACHED = 'public, max-age=86400';

function plainTwin(files: PageFiles, iconPath: string): Map<string, Resource> {
  const resources = new Map<string, Resource>();
  const scripts = files.scripts.map((f, i) => `/js/${i}.js`);
  const styles = files.styles.map((f, i) => `/css/${i}.css`);
  files.scripts.forEach((f, i) =>
    resources.set(scripts[i]!, { type: 'text/javascript', cacheControl: CACHED, body: padTo(`document.documentElement.dataset.s${i} = '1';\n`, f.bytes, '/*', '*/') }),
  );
  files.styles.forEach((f, i) =>
    resources.set(styles[i]!, { type: 'text/css', cacheControl: CACHED, body: padTo(`.c${i} { margin: 0 auto; max-width: 40rem; }\n`, f.bytes, '/*', '*/') }),
  );
  resources.set('/icon.png', { type: 'image/png', cacheControl: CACHED, body: readFileSync(iconPath) });
  const [entry, ...preloaded] = scripts;
  const head = [
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,"><title>A plain page</title>',
    ...(entry ? [`<script type="module" src="${entry}"></script>`] : []),
    ...preloaded.map((s) => `<link rel="modulepreload" href="${s}">`),
    ...styles.map((s) => `<link rel="stylesheet" href="${s}">`),
  ].join('\n');
  // The entry imports the others, as the interstitial's entry chunk does.
  if (entry) {
    const imports = preloaded.map((s) => `import '${s}';\n`).join('');
    const first = files.scripts[0]!;
    resources.set(entry, { type: 'text/javascript', cacheControl: CACHED, body: padTo(`${imports}document.documentElement.dataset.s0 = '1';\n`, first.bytes, '/*', '*/') });
  }
  const body =
    '<main><div><img src="/icon.png" alt="" width="48" height="48"><h1>A plain page</h1>' +
    '<p>Text of about the length a warning has, so the first paint has words to show.</p></div>' +
    '<div><button type="button" autofocus>Go back</button></div></main>';
  resources.set('/', { type: HTML, body: padTo(`<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`, files.html.bytes, '<!--', '-->') });
  return resources;
}

/** A small ordinary site: 3 stylesheets, 4 scripts and 4 images beside a 20 KB document. */
function unrelatedSite(iconPath: string): Map<string, Resource> {
  const resources = new Map<string, Resource>();
  const icon = readFileSync(iconPath);
  const css = [0, 1, 2].map((i) => `/static/site-${i}.css`);
  const js = [0, 1, 2, 3].map((i) => `/static/app-${i}.js`);
  const img = [0, 1, 2, 3].map((i) => `/static/img-${i}.png`);
  css.forEach((p, i) => resources.set(p, { type: 'text/css', body: padTo(`.s${i} p { line-height: 1.5; }\n`, 6_000, '/*', '*/') }));
  js.forEach((p, i) => resources.set(p, { type: 'text/javascript', body: padTo(`window.app${i} = ${i};\n`, 12_000, '/*', '*/') }));
  img.forEach((p) => resources.set(p, { type: 'image/png', body: icon }));
  const article = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i} of an ordinary article on a site no policy names.</p>`).join('\n');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${UNRELATED_HOST}</title>
${css.map((p) => `<link rel="stylesheet" href="${p}">`).join('\n')}
${js.map((p) => `<script src="${p}" defer></script>`).join('\n')}
</head><body><h1>${UNRELATED_HOST}</h1>${img.map((p) => `<img src="${p}" alt="" width="48" height="48">`).join('')}
${article}</body></html>`;
  resources.set('/', { type: HTML, body: padTo(page, 20_000, '<!--', '-->') });
  return resources;
}

const START_PAGE: Resource = {
  type: HTML,
  body: `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${START_HOST}</title></head><body><h1>Start</h1></body></html>`,
};

function servicePage(host: string): Resource {
  return {
    type: HTML,
    body: `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${host}</title></head><body><h1>${host}</h1><textarea></textarea></body></html>`,
  };
}

export function benchRoutes(dist: string, interstitial: PageFiles): Routes {
  const iconPath = path.join(dist, interstitial.images[0]?.file ?? 'icons/icon-48.png');
  const twin = plainTwin(interstitial, iconPath);
  const unrelated = unrelatedSite(iconPath);
  return (host, p) => {
    if (host === START_HOST) return p === '/' ? START_PAGE : null;
    if (host === PLAIN_HOST) return twin.get(p) ?? null;
    if (host === UNRELATED_HOST) return unrelated.get(p) ?? null;
    return p === '/' ? servicePage(host) : null;
  };
}
