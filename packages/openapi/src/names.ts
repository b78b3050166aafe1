// Component names: readable (`EnterpriseUser`), valid everywhere a generator puts them
// (`^[A-Za-z0-9._-]+$` in OpenAPI, a key in TypeScript), unique, and stable: the same input
// always gives the same names.

/**
 * A PascalCase identifier from any text, letters and digits only: `Enterprise User` →
 * `EnterpriseUser`, `acme:2.0:Device` → `Acme20Device`. It starts with a letter (`fallback`
 * goes in front of a leading digit) and is `fallback` when no letter or digit is left.
 */
export function pascalCase(value: string, fallback: string): string {
  const words = value.normalize('NFKD').match(/[A-Za-z0-9]+/g) ?? [];
  const joined = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  if (joined === '') return fallback;
  return /^[0-9]/.test(joined) ? `${fallback}${joined}` : joined;
}

/** The part of a schema URN that tells it apart: `urn:acme:scim:User` → `AcmeScimUser`. */
export function urnQualifier(urn: string): string {
  const rest = urn.replace(/^urn:(ietf:params:scim:schemas:)?/i, '');
  return pascalCase(rest, 'Schema');
}

/** Hands out unique component names in the order asked. */
export class ComponentNames {
  private readonly taken = new Set<string>();

  /** Whether `name` is already given out. */
  has(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }

  /**
   * `preferred` if free, else each alternative in turn, else the last one numbered (`Name2`,
   * `Name3`, …). Names differing only in case count as taken: generated files land on
   * case-insensitive file systems and people read them.
   */
  claim(preferred: string, ...alternatives: string[]): string {
    const candidates = [preferred, ...alternatives];
    let name = candidates.find((candidate) => !this.has(candidate));
    if (name === undefined) {
      const base = candidates[candidates.length - 1] ?? preferred;
      for (let counter = 2; name === undefined; counter++) {
        if (!this.has(`${base}${counter}`)) name = `${base}${counter}`;
      }
    }
    this.taken.add(name.toLowerCase());
    return name;
  }
}
