// Finds the nginx that tests/e2e/deploy-nginx.e2e.test.ts serves the course with, as the
// deployment guide says to; on Debian as root, installs it when missing. E2E_WITHOUT_NGINX=1
// opts out: that test is then skipped rather than failed.
import { findNginx, withoutNginx } from '../tests/e2e/nginx-path.ts';
import { aptInstall, isDebianRoot } from './debian.mjs';

if (withoutNginx) {
  console.log('E2E_WITHOUT_NGINX=1: the nginx recipe of docs/deploying.md will not be tested.');
  process.exit(0);
}
let found = findNginx();
// An NGINX_PATH that names no file is a mistake to report, not a reason to install.
if (!found && !process.env['NGINX_PATH'] && isDebianRoot()) {
  console.log('nginx is missing: installing Debian\'s "nginx" package (apt-get)...');
  aptInstall('nginx');
  found = findNginx();
}
if (!found) {
  console.error(
    [
      'No nginx found for the end-to-end test of docs/deploying.md.',
      'Install one — on Debian or Ubuntu: sudo apt-get install nginx —',
      'or point NGINX_PATH at an nginx binary, or set E2E_WITHOUT_NGINX=1 to skip that test.',
    ].join('\n'),
  );
  process.exit(1);
}
console.log(`The deployment guide's nginx block will run on ${found}`);
