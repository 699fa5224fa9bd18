/**
 * Answers that can arrive out of order (two refreshes in quick succession, the
 * first one slow): only the one asked for last may be drawn, or an older
 * answer would show a state that no longer holds.
 *
 *     const isLatest = profilesAnswer();   // when asking
 *     …await the answer…
 *     if (!isLatest()) return;             // a newer one is on its way
 */
export function latestAnswer(): () => () => boolean {
  let asked = 0;
  return () => {
    const mine = ++asked;
    return () => mine === asked;
  };
}
