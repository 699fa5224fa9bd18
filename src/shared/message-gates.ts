/**
 * Which gate each message kind passes. Every kind that can make a page stop
 * less names its path through the one gate (src/core/lowering-gate.ts), and
 * its background handler calls `passGate` with that kind; every other kind
 * says why it lowers no decision. A new kind starts here: the type below
 * does not compile without it, and tests/unit/message-gates.test.ts holds
 * the background's handlers to this table. Pure and zod-free.
 */
import type { LoweringRequest } from '../core/lowering-gate';
import type { MessageKind } from './protocol';

export type MessageGate = { lowers: LoweringRequest['path'] } | { lowers: false; because: string };

const READS = 'reads only';

export const MESSAGE_GATES: { readonly [K in MessageKind]: MessageGate } = {
  getVerdict: { lowers: false, because: READS },
  proceedAnyway: { lowers: 'proceed' },
  recordWarningShown: { lowers: false, because: 'adds a log entry; the decision stays' },
  getProfiles: { lowers: false, because: READS },
  // Turning a profile on only adds stops; turning one off asks the gate.
  setProfileEnabled: { lowers: 'profile' },
  getSettings: { lowers: false, because: READS },
  // The device answer asks the gate. The proceed time bounds exceptions still to be granted and
  // only ever shortens running ones; the log switch and the language change no decision.
  updateSettings: { lowers: 'device-context' },
  setDeviceContext: { lowers: 'device-context' },
  dismissStorageNotice: { lowers: false, because: 'clears a notice' },
  getManagedPolicy: { lowers: false, because: READS },
  getOrganizationDetails: { lowers: false, because: READS },
  importCustomPolicies: { lowers: 'import' },
  exportCustomPolicies: { lowers: false, because: READS },
  removeCustomOrganization: { lowers: 'remove-organization' },
  getActivityLog: { lowers: false, because: READS },
  clearActivityLog: { lowers: false, because: 'changes no decision; a log the policy keeps is refused by its own lock' },
  resetAll: { lowers: 'reset' },
  getPreconnectStatus: { lowers: false, because: READS },
  getEnforcementStatus: { lowers: false, because: READS },
  setPreventPreconnect: { lowers: false, because: 'changes the browser’s pre-connecting, not which pages are stopped' },
  getProfileHint: { lowers: false, because: 'shows a note before any profile is on' },
  turnOffProfileHint: { lowers: false, because: 'hides a note before any profile is on' },
  openProfileList: { lowers: false, because: 'opens the options page' },
  getExceptions: { lowers: false, because: READS },
  endException: { lowers: false, because: 'only ends an exception: the page is stopped again' },
  getSignedExceptions: { lowers: false, because: READS },
  applyExceptionToken: { lowers: 'signed-exception' },
  acknowledgeNotice: { lowers: false, because: 'records that a version of a notice was read; its rules stop what they stopped' },
  sendTabToWarning: { lowers: false, because: 'only sends the sender’s own tab to the warning, when the background finds its page stopped' },
};
