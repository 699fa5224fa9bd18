/**
 * What a maintainer and a store reviewer expect beside the code: the licence,
 * the note on the seed article, a changelog entry for this version, and the
 * hosted workflows (CI running .ci/run; tagged releases keeping the three
 * packages), none of which needs a secret.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license?: string };

describe('licence and the seed article', () => {
  it('LICENSE is MIT, package.json says so, and README names it', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
    expect(pkg.license).toBe('MIT');
    expect(read('README.md')).toMatch(/## Licence\n\n\[MIT\]\(LICENSE\)/);
  });

  it('seeds/ and the README say the article is the Korea JoongAng Daily\'s, quoted for reference', () => {
    const note = read('seeds/README.md');
    expect(note).toContain('Korea JoongAng Daily');
    expect(note).toMatch(/not\*\* covered by this project's `LICENSE`/);
    expect(note).toMatch(/for reference/);
    expect(read('README.md')).toMatch(/Korea\s+JoongAng Daily's, not ours: it is quoted for reference/);
  });
});

describe('CHANGELOG.md', () => {
  it('follows Keep a Changelog and has an entry for the version in package.json', () => {
    const text = read('CHANGELOG.md');
    expect(text).toContain('[Keep a Changelog](https://keepachangelog.com/');
    expect(text).toMatch(/^## \[Unreleased\]$/m);
    const heading = new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - (Unreleased|\\d{4}-\\d{2}-\\d{2})$`, 'm');
    expect(text).toMatch(heading);
    expect(text).toMatch(/^### Added$/m);
  });
});

describe('GitHub workflows', () => {
  const ci = read('.github/workflows/ci.yml');
  const release = read('.github/workflows/release.yml');

  it('CI runs bash .ci/run on every push and pull request', () => {
    expect(ci).toMatch(/^on:\n {2}push:\n {2}pull_request:\n/m);
    expect(ci).toMatch(/^\s+run: bash \.ci\/run$/m);
  });

  it('a version tag runs npm run package and keeps the zip, the xpi and the source zip', () => {
    expect(release).toMatch(/^on:\n {2}push:\n {4}tags: \['v\*\.\*\.\*'\]\n/m);
    expect(release).toMatch(/^\s+- run: npm ci$/m);
    expect(release).toMatch(/^\s+- run: npm run package$/m);
    expect(release).toContain('actions/upload-artifact@');
    for (const kept of ['ai-policy-guard-chrome-*.zip', 'ai-policy-guard-firefox-*.xpi', 'ai-policy-guard-source-*.zip']) {
      expect(release).toContain(`web-ext-artifacts/${kept}`);
    }
    expect(release).toContain('if-no-files-found: error');
  });

  it('nothing needs a secret, and both use the Node version of .nvmrc', () => {
    for (const wf of [ci, release]) {
      expect(wf).not.toMatch(/secrets\./);
      expect(wf).toMatch(/permissions:\n {2}contents: read\n/);
      expect(wf).toContain('node-version-file: .nvmrc');
    }
    expect(read('.nvmrc').trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
