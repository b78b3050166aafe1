/** Adapter placeholder. */
export const placeholder = true;
