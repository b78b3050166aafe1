/** RFC 7643 example resources and generators for tests. */
export const placeholder = true;
