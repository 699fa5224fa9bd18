/**
 * `npm run exception:keygen -- --out <path>`: a new approver key pair.
 * Writes `<path>.private.pem` (readable by its owner only) and
 * `<path>.public.txt`, and prints the policy lines that deploy the public key.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateApproverKeyPair } from './exception-tokens';

const usage = 'usage: npm run exception:keygen -- --out <path> [--name "Approver name"]';
let values: { out?: string; name?: string };
try {
  ({ values } = parseArgs({ options: { out: { type: 'string' }, name: { type: 'string' } }, strict: true }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
if (!values.out) {
  console.error(usage);
  process.exit(2);
}
const privateFile = `${values.out}.private.pem`;
const publicFile = `${values.out}.public.txt`;
if (existsSync(privateFile)) {
  console.error(`${privateFile} exists; a key is never overwritten (choose another --out)`);
  process.exit(1);
}
const pair = generateApproverKeyPair();
writeFileSync(privateFile, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
writeFileSync(publicFile, `${pair.publicKey}\n`);
const entry = { name: values.name ?? 'Approver', publicKey: pair.publicKey };
console.log(`private key: ${privateFile} (keep it with the approver; it signs exceptions)`);
console.log(`public key:  ${publicFile}`);
console.log(`key id:      ${pair.keyId}`);
console.log('\nAdd to the managed policy, key "exceptionApprovers" (a list; keep the old key there while rotating):');
console.log(JSON.stringify({ exceptionApprovers: [entry] }, null, 2));
