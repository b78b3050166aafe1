import { ScimError } from '@scimkit/schema/errors';

/**
 * What {@link toOpenApi} worked around in a server's discovery documents. Each is a deviation
 * from RFC 7643 seen in real servers; the document is still written, as closely as the input
 * allows.
 */
export type OpenApiWarningCode =
  /** `/Schemas` has no usable `attributes` for a schema: it is typed as an open object. */
  | 'missingAttributes'
  /** A resource type names a core or extension schema `/Schemas` does not serve: typed as an open object. */
  | 'missingSchema'
  /** Two schemas share a `name`: the later one gets a name qualified by its URN. */
  | 'duplicateSchemaName'
  /** `/Schemas` lists the same URN twice: the first wins. */
  | 'duplicateSchema'
  /** Two attributes of one object differ only in case (names are case-insensitive): the first wins. */
  | 'duplicateAttribute'
  /** A sub-attribute has sub-attributes of its own (RFC 7643 section 2.4 forbids it): mapped anyway. */
  | 'nestedSubAttributes'
  /** Sub-attributes nested deeper than any server needs: the rest is typed as an open object. */
  | 'depthLimit'
  /** An attribute type RFC 7643 section 2.3 does not define: typed as any JSON value. */
  | 'unknownType'
  /** An attribute that is not an object or has no name: skipped. */
  | 'invalidAttribute'
  /** A `/Schemas` entry that is not an object or has no `id`: skipped. */
  | 'invalidSchema'
  /** A resource type without a usable name, endpoint or schema, or a duplicate one: skipped. */
  | 'invalidResourceType'
  /** A ServiceProviderConfig authentication scheme without an OpenAPI equivalent: left out. */
  | 'unknownAuthenticationScheme';

/** One workaround {@link toOpenApi} applied, with the place in the input it concerns. */
export interface OpenApiWarning {
  /** What kind of problem. */
  code: OpenApiWarningCode;
  /** A sentence naming the schema, attribute or resource type, and what was done. */
  message: string;
}

/**
 * The discovery documents given to {@link toOpenApi} are not discovery documents at all (for
 * example `/ResourceTypes` answered something that is neither a list nor a ListResponse). The
 * status is 502: the server that produced them is at fault.
 */
export class OpenApiInputError extends ScimError {
  constructor(detail: string) {
    super(detail, { status: 502 });
    this.name = 'OpenApiInputError';
  }
}
