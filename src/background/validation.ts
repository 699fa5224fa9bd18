/**
 * Everything the background checks with zod (and nothing else): messages the
 * fast reader did not recognize, the administrator's policy, custom policy
 * imports, and stored values that are not in their current, well-formed
 * shape. The worker never imports this module directly: it reaches it through
 * ./lazy-validation.ts, which the build turns into a function that evaluates
 * it on first use (scripts/vite-plugin-lazy-module.ts), so the schema library
 * costs nothing on a start that does not need it.
 */
export { parseEnvelope } from '../shared/protocol';
export { readActivityLog, readExceptions, readSettings } from '../shared/settings';
export { readManagedPolicy } from '../shared/managed-policy';
export { parseExceptionToken } from '../core/exception-token';
export {
  customPoliciesFile,
  customPoliciesOverLimit,
  mergeCustomPolicies,
  mergeIntoBundle,
  parseCustomPoliciesFile,
  readStoredCustomPolicies,
  removeCustomOrganization,
} from '../core/custom-organizations';
