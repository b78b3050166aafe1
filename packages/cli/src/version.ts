declare const __SCIMKIT_CLI_VERSION__: string | undefined;

/** The package version, injected by the build (`dev` when run from source). */
export const VERSION: string = typeof __SCIMKIT_CLI_VERSION__ === 'string' ? __SCIMKIT_CLI_VERSION__ : 'dev';

/**
 * How the user runs this CLI, for the commands it suggests: `scimkit` once installed, and the
 * repository's launcher (`./scimkit`, the sources without a build) when run from source.
 */
export const COMMAND: string = VERSION === 'dev' ? './scimkit' : 'scimkit';
