// Installs a Debian package for the test scripts: only as root on Debian, the case CI runs in.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether this is Debian (or Ubuntu) and we are root, so that apt-get can install. */
export function isDebianRoot() {
  const debian = existsSync('/etc/debian_version');
  return debian && typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs the Debian package `name` with apt-get, refreshing the package lists first. */
export function aptInstall(name) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'inherit', env });
}
