// Called by tools/consumer-check.mjs and the consumer matrix with the BUILT package loaded
// through `import` and `require`: parse, print and evaluate a filter, and catch a typed error;
// ./internal: the dateTime rules the other packages share.
export default async (mod, kind, subpath) => {
  if (subpath === './internal') {
    if (!mod.isDateTime('2011-08-01T21:32:44.882Z') || mod.isDateTime('2011-08-01')) {
      throw new Error(`${kind}: isDateTime disagrees with RFC 7643 section 2.3.5`);
    }
    if (!mod.sameDateTime('2011-08-01T21:32:44Z', '2011-08-01T23:32:44+02:00')) {
      throw new Error(`${kind}: sameDateTime does not see one instant in two offsets`);
    }
    return;
  }
  const text = 'userName EQ "bjensen" and emails[type eq "work" and value ew "@example.com"]';
  const printed = mod.formatFilter(mod.parseFilter(text));
  if (printed !== 'userName eq "bjensen" and emails[type eq "work" and value ew "@example.com"]') {
    throw new Error(`${kind}: formatFilter gave ${printed}`);
  }
  const matches = mod.compileFilter(text);
  const user = { userName: 'BJensen', emails: [{ type: 'work', value: 'b@example.com' }] };
  if (!matches(user) || matches({ ...user, emails: [] })) throw new Error(`${kind}: compileFilter disagrees`);
  try {
    mod.parseFilter('userName eq');
    throw new Error(`${kind}: parseFilter accepted "userName eq"`);
  } catch (error) {
    if (!mod.isFilterSyntaxError(error) || error.position !== 11) throw error;
  }
};
