import type { Browser } from 'playwright-core';

/** The flags every headless Chromium of the repository starts with. */
export declare const CHROMIUM_ARGS: readonly string[];
/** Starts headless Chromium (the system's, or CHROMIUM_PATH). */
export declare function launchChromium(): Promise<Browser>;
