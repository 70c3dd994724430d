/**
 * Headless Chromium for checking generated pages as a person's browser shows them. It uses the
 * system's Chromium (Debian's `chromium` package) through playwright-core, which downloads
 * nothing, and keeps it off the network: a page that requests anything is a failing page.
 */
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Chromium is; `CHROMIUM_PATH` points elsewhere on machines that keep it elsewhere. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Starts Chromium with a fresh profile; throws, saying how to install it, when it is missing. */
export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `headless Chromium is needed to check report.html, and ${CHROMIUM_PATH} does not exist: ` +
        'install it with `apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chromium binary',
    );
  }
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tfjs-keras-chromium-')), {
    executablePath: CHROMIUM_PATH,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these, Chromium phones home (component updates, sync, field trials) on start.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
