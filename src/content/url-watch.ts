/**
 * Single-page apps change the URL without loading a new document, so the
 * content script is not run again. Calls `onChange` when location.href changes.
 */

/** The one part of the Navigation API we use (not yet in TypeScript's DOM lib). */
type NavigationLike = EventTarget;

export function watchUrlChanges(onChange: () => void): () => void {
  let last = location.href;
  const compare = (): void => {
    if (location.href === last) return;
    last = location.href;
    onChange();
  };
  const navigation = (window as { navigation?: NavigationLike }).navigation;
  if (navigation) {
    // Fires for the page's pushState/replaceState and intercepted navigations alike.
    navigation.addEventListener('navigatesuccess', compare);
    return () => navigation.removeEventListener('navigatesuccess', compare);
  }
  // Without the Navigation API, pushState from the page fires no event we can
  // see; a poll that only compares two strings catches it within a second.
  window.addEventListener('popstate', compare);
  window.addEventListener('hashchange', compare);
  const poll = setInterval(compare, 1000);
  return () => {
    window.removeEventListener('popstate', compare);
    window.removeEventListener('hashchange', compare);
    clearInterval(poll);
  };
}
