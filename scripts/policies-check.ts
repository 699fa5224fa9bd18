/**
 * `npm run policies:check`: validate policies/ and print what was accepted.
 * `npm run policies:format` (`--write`): first rewrite every parsable JSON file
 * into canonical form, then check.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePolicies, formatPolicyFile } from '../src/core/policy-compile';
import { policiesRoot, readPolicyInput } from './load-policies';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--write');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(' ')}\nusage: tsx scripts/policies-check.ts [--write]`);
  process.exit(2);
}

// What the build reads: the repository, or the folder AI_POLICY_GUARD_POLICIES_ROOT names.
const root = policiesRoot();
if (args.includes('--write')) {
  for (const file of readPolicyInput(root).files) {
    if (!file.path.endsWith('.json')) continue;
    let value: unknown;
    try {
      value = JSON.parse(file.text);
    } catch {
      continue; // the check below reports the syntax error with the parser's message
    }
    const canonical = formatPolicyFile(value);
    if (canonical !== file.text) {
      writeFileSync(join(root, file.path), canonical);
      console.log(`formatted ${file.path}`);
    }
  }
}

const result = compilePolicies(readPolicyInput(root));
if (result.ok) {
  console.log(result.summary);
} else {
  for (const line of result.errors) console.error(line);
  console.error(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in policies/`);
  process.exit(1);
}
