// Headless Chromium for the browser tests and the documentation smoke test: the system's
// chromium (or CHROMIUM_PATH) driven by playwright-core, which never downloads a browser (never
// run `playwright install`). The flags keep it from reaching the network on its own and let it
// run as root in a container.
import { chromium } from 'playwright-core';

/** The flags every headless Chromium of the repository starts with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Chromium. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
