// The Chromium that the browser tests drive with playwright-core. A browser named by the
// environment wins (CHROMIUM_PATH, then Debian's /usr/bin/chromium); otherwise, on Linux x64,
// the binary shipped inside the @sparticuz/chromium devDependency, which `pnpm install` fetches
// from the npm registry like any package (it unpacks itself into the temporary folder on first use).
import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';

/** Flags for a headless run on a machine with no network: no sandbox (CI runs as root), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The path of the Chromium executable to launch, or an error saying what to set. */
export async function chromiumExecutable(): Promise<string> {
  const given = process.env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) {
      throw new Error(
        `CHROMIUM_PATH is ${given}, which does not exist: expected a Chromium executable`,
      );
    }
    return given;
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  if (platform() === 'linux' && arch() === 'x64') {
    const { default: packaged } = await import('@sparticuz/chromium');
    return packaged.executablePath();
  }
  throw new Error(
    `no Chromium for the browser tests on ${platform()}-${arch()}: the packaged one is for Linux x64 only. ` +
      'Set CHROMIUM_PATH to a Chromium or Chrome executable, e.g. ' +
      'CHROMIUM_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" pnpm test',
  );
}
