// Where the nginx for the deployment guide's e2e test lives: $NGINX_PATH, else the usual paths.
import { existsSync } from 'node:fs';

const candidates = [
  '/usr/sbin/nginx',
  '/usr/local/sbin/nginx',
  '/usr/local/nginx/sbin/nginx',
  '/usr/local/bin/nginx',
  '/opt/homebrew/bin/nginx',
];

/** Set to 1 to run the e2e suite without nginx: its one test is then skipped, and says so. */
export const withoutNginx = process.env['E2E_WITHOUT_NGINX'] === '1';

/** The path of an nginx binary, or undefined when none is installed. */
export function findNginx(): string | undefined {
  const named = process.env['NGINX_PATH'];
  if (named) return existsSync(named) ? named : undefined;
  return candidates.find((path) => existsSync(path));
}
