/**
 * The recorded Entra ID and Okta provisioning cycles, end to end.
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
import { type CheckDefinition, defineCheck, rfc7644 } from '../context.js';
import { entraIdSequence } from '../idp/entra-id.js';
import { oktaSequence } from '../idp/okta.js';
import { runSequence } from '../idp/sequence.js';

export const idpChecks: CheckDefinition[] = [
  defineCheck({
    id: 'idp.entra-id',
    group: 'idp',
    title: 'Microsoft Entra ID provisioning cycle, end to end',
    rfc: rfc7644('3'),
    idps: ['entra-id'],
    requires: ['patch', 'filter', 'groups', 'enterpriseUser'],
    why: "The requests Entra ID sends over a user's life (test connection, create with the enterprise extension, its PATCH shapes, group membership, deactivation, deletion), with what Entra reads from each answer.",
    async run(context) {
      await runSequence(entraIdSequence, { http: context.http, prefix: context.unique('entra') });
    },
  }),
  defineCheck({
    id: 'idp.okta',
    group: 'idp',
    title: 'Okta provisioning cycle, end to end',
    rfc: rfc7644('3'),
    idps: ['okta'],
    requires: ['patch', 'filter', 'groups'],
    why: "The requests Okta sends over a user's life (lookups in any case, create with a password, 409 on a duplicate, deactivation, PUT of what it read, group push), with what Okta reads from each answer.",
    async run(context) {
      await runSequence(oktaSequence, { http: context.http, prefix: context.unique('okta') });
    },
  }),
];
