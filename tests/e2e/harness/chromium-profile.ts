/**
 * The names the restart and language suites use; the launcher itself (one for
 * every suite) is harness/chromium.ts.
 */
export {
  launchChromium as launchChromiumProfile,
  freshProfileDir,
  removeProfileDir,
  type LaunchOptions as ProfileLaunchOptions,
  type ProfileBrowser,
  type DnrRuleSeen,
} from './chromium';
