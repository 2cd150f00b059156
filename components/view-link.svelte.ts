// Keeps a widget's view in the address bar (lib/view-links.ts says how each view is spelt), so a
// link opens the view it names and Back and Forward step through the views a reader chose.
import { onMount, untrack } from 'svelte';
import { isNamed, paramsOf, viewIn, withParams, type ViewParams } from '../lib/view-links.ts';

export interface ViewLink<View, Limits> {
  spec: ViewParams<View, Limits>;
  /** The widget's section, which a link scrolls to (its id) */
  id: string;
  /** The view on show (undefined while a control holds what is no view, as a number half typed),
   * and the view with nothing in the URL */
  view(): View | undefined;
  fallback(): View;
  /** What the URL is read against (p, d_mlp, a parameter's axes, the run's epochs) */
  limits(): Limits;
  show(view: View): void;
  /** Until this is true (the data a view needs has arrived) the URL is neither read nor written */
  ready?(): boolean;
  /** Called once, on mounting, when the URL names this view: load what the view needs to show it */
  named?(): void;
  /**
   * A change within this many milliseconds of the last one replaces its history entry rather than
   * adding one, so typing a number or dragging a slider makes one step of Back; 0: every change
   * is its own entry (a select, a checkbox).
   */
  settleMs?: number;
}

/** Links a widget's view to the URL (call while the component initialises). */
export function linkView<View, Limits>(link: ViewLink<View, Limits>): void {
  let started = false;
  let lastChange = -Infinity;

  /** Reads the view from the URL and shows it; writes back the URL's tidy form (no new entry). */
  function fromUrl() {
    link.show(viewIn(link.spec, location.search, link.limits()));
    write('tidy');
  }

  function write(how: 'tidy' | 'change') {
    const view = link.view();
    if (view === undefined) return;
    const params = paramsOf(link.spec, view, link.fallback());
    const search = withParams(location.search, params);
    if (search === location.search) return;
    const now = performance.now();
    const joins = how === 'tidy' || now - lastChange < (link.settleMs ?? 0);
    // A changed view is what a reader would share: the link takes them to the widget.
    const hash = how === 'change' ? `#${link.id}` : location.hash;
    const url = `${location.pathname}${search}${hash}`;
    if (joins) history.replaceState(history.state, '', url);
    else history.pushState(null, '', url);
    if (how === 'change') lastChange = now;
  }

  onMount(() => {
    if (isNamed(link.spec, location.search)) link.named?.();
    const back = () => {
      if (!started) return;
      lastChange = -Infinity;
      fromUrl();
    };
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  });

  $effect(() => {
    // Tracks what the view shows, so that every change of it is written.
    link.view();
    if (link.ready && !link.ready()) return;
    untrack(() => {
      if (!started) {
        started = true;
        fromUrl();
      } else write('change');
    });
  });
}
