// Finds the Chromium the end-to-end tests drive; on Debian as root, installs it when missing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { findChromium } from '../tests/e2e/chromium-path.ts';

function isDebianRoot() {
  const debian = existsSync('/etc/debian_version');
  return debian && typeof process.getuid === 'function' && process.getuid() === 0;
}

let found = findChromium();
if (!found && isDebianRoot()) {
  console.log('Chromium is missing: installing Debian\'s "chromium" package (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  found = findChromium();
}
if (!found) {
  const os = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const name = /^PRETTY_NAME="?([^"\n]*)/m.exec(os)?.[1] ?? process.platform;
  console.error(
    [
      `No Chromium found for the end-to-end tests (looked on ${name}).`,
      'Install one — on Debian or Ubuntu: sudo apt-get install chromium —',
      'or point CHROMIUM_PATH at a Chromium or Chrome binary, then run npm test again.',
    ].join('\n'),
  );
  process.exit(1);
}
console.log(`End-to-end tests will drive ${found}`);
