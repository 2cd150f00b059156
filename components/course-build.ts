// Which build of the course this page is from (the package's version and the commit it was built
// at, set by astro.config.mjs), recorded in every file a student exports.
declare const __COURSE_BUILD__: string | undefined;

/** `1.0.0+3f2a9c1d7e4b` in a built site; `dev` where nothing set it (the unit tests). */
export const courseBuild: string = typeof __COURSE_BUILD__ === 'string' ? __COURSE_BUILD__ : 'dev';
