declare const __SCIMKIT_CLI_VERSION__: string | undefined;

/** The package version, injected by the build (`dev` when run from source). */
export const VERSION: string = typeof __SCIMKIT_CLI_VERSION__ === 'string' ? __SCIMKIT_CLI_VERSION__ : 'dev';
