/**
 * `npm run exception:sign -- --service chatgpt --until 2027-01-31 --reason "…"
 *   --device ABCD-2345 --key approver.private.pem --approver "Kim Minji, IT Security"`:
 * prints a signed exception token for one device. `--service` may repeat.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { normalizeDeviceCode } from '../src/core/exception-grant';
import { loadPolicyBundle } from './load-policies';
import { parseUntil, signException } from './exception-tokens';

const usage =
  'usage: npm run exception:sign -- --service <id> [--service <id>] --until <2027-01-31 | ISO instant> --reason "<why>" --device <code> --key <private key file> --approver "<name>"';

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values: { service?: string[]; until?: string; reason?: string; device?: string; key?: string; approver?: string };
try {
  ({ values } = parseArgs({
    options: {
      service: { type: 'string', multiple: true },
      until: { type: 'string' },
      reason: { type: 'string' },
      device: { type: 'string' },
      key: { type: 'string' },
      approver: { type: 'string' },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { service, until, reason, device, key, approver } = values;
if (!service?.length || !until || !reason || !device || !key || !approver) fail('every option is required');

const catalog = new Set(loadPolicyBundle().services.map((s) => s.id));
const unknown = service.filter((id) => !catalog.has(id));
if (unknown.length > 0) fail(`--service ${unknown.join(', ')}: not in the catalog (${[...catalog].join(', ')})`);
const code = normalizeDeviceCode(device);
if (code === null) fail(`--device ${device}: not a device code (the options page shows it as XXXX-XXXX)`);
let untilDate: Date;
try {
  untilDate = parseUntil(until);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (untilDate.getTime() <= Date.now()) fail(`--until ${until}: already past`);

try {
  const { token, payload } = signException(readFileSync(key, 'utf8'), { services: service, until: untilDate, reason, approver, device: code });
  console.error(`token ${payload.id} for device ${payload.device}: ${payload.services.join(', ')} until ${payload.until} (key ${payload.kid})`);
  console.log(token);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
