/**
 * @packageDocumentation
 * @internal
 * `@scimkit/check/internal`: the recorded Entra ID and Okta sequences and the HTTP layer they
 * run on, for scimkit's own store tests, which replay them with stricter, scimkit-specific
 * assertions. Not a public API: it may change in any release.
 */
export { CheckFailure } from '../expect.js';
export { type Answer, Http, type HttpOptions, type Method } from '../http.js';
export { entraIdSequence } from '../idp/entra-id.js';
export { oktaSequence } from '../idp/okta.js';
export { type IdpSequence, runSequence, type SequenceHooks, type SequenceIo } from '../idp/sequence.js';
