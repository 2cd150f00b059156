// Links inside the site, under whatever path it is served from (`SITE_BASE`, astro.config.mjs).

/** The site's base path with one trailing slash: "/" or "/course/". */
export const siteBase = import.meta.env.BASE_URL.replace(/\/*$/, '/');

/** `path` (written from the site's root, e.g. "lessons/01/") under the base path. */
export function sitePath(path: string): string {
  return siteBase + path.replace(/^\/+/, '');
}
