// Finds the Chromium the end-to-end tests drive; on Debian as root, installs it when missing.
import { existsSync, readFileSync } from 'node:fs';
import { findChromium } from '../tests/e2e/chromium-path.ts';
import { aptInstall, isDebianRoot } from './debian.mjs';

let found = findChromium();
if (!found && isDebianRoot()) {
  console.log('Chromium is missing: installing Debian\'s "chromium" package (apt-get)...');
  aptInstall('chromium');
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
