/**
 * Hostile fragments for the interstitial, shared by the Chromium and Firefox
 * suites. Each payload that could run script sets `__pwned` on the window
 * (or calls alert), so a run that executed anything is caught by the trap,
 * by a dialog or by the console line it logs.
 */
export const BANNED_URL = 'http://chat.deepseek.com/';

export interface HostileCase {
  name: string;
  /** The raw fragment, put after '#' unchanged. */
  fragment: string;
  /** The banned http URL is in it: the interstitial may offer to proceed (to that host only). */
  proceedable: boolean;
}

const script = "top.__pwned=1;alert('pwned');console.log('PWNED')";
const markup = `<img src=x onerror="${script}"><script>${script}</script><svg onload="${script}">`;

export function hostileCases(): HostileCase[] {
  return [
    { name: 'javascript: URL', fragment: `javascript:${script}`, proceedable: false },
    { name: 'javascript: URL, encoded', fragment: `javascript:${encodeURIComponent(script)}`, proceedable: false },
    { name: 'javascript: URL, mixed case and spaces', fragment: ` JaVaScRiPt:${script}`, proceedable: false },
    { name: 'data: URL with a script', fragment: `data:text/html,<script>${script}</script>`, proceedable: false },
    { name: 'data: URL, base64', fragment: `data:text/html;base64,${Buffer.from(`<script>${script}</script>`).toString('base64')}`, proceedable: false },
    { name: 'HTML markup', fragment: markup, proceedable: false },
    { name: 'HTML markup, percent-encoded', fragment: encodeURIComponent(markup), proceedable: false },
    { name: 'banned URL carrying markup in path and query', fragment: `${BANNED_URL}${encodeURIComponent(markup)}?q=${encodeURIComponent(markup)}`, proceedable: true },
    { name: 'banned host behind a javascript: scheme', fragment: `javascript://chat.deepseek.com/%0a${script}`, proceedable: false },
    { name: '100 KB string', fragment: 'A'.repeat(100 * 1024), proceedable: false },
    { name: '100 KB banned URL', fragment: `${BANNED_URL}?q=${'A'.repeat(100 * 1024)}`, proceedable: false },
    { name: 'URL no policy matches', fragment: 'http://example.test/hello', proceedable: false },
    { name: 'userinfo that names the banned host', fragment: 'http://chat.deepseek.com@example.test/', proceedable: false },
    { name: 'banned host as a subdomain of another site', fragment: 'http://chat.deepseek.com.example.test/', proceedable: false },
    { name: 'banned host over ftp', fragment: 'ftp://chat.deepseek.com/', proceedable: false },
    { name: 'empty fragment', fragment: '', proceedable: false },
  ];
}
