/** Every example filter of RFC 7644 section 3.4.2.2 (figure "Example Filters"). */
export const rfcFilters: readonly string[] = [
  'userName eq "bjensen"',
  'name.familyName co "O\'Malley"',
  'userName sw "J"',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
  'title pr',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'meta.lastModified ge "2011-05-13T04:42:34Z"',
  'meta.lastModified lt "2011-05-13T04:42:34Z"',
  'meta.lastModified le "2011-05-13T04:42:34Z"',
  'title pr and userType eq "Employee"',
  'title pr or userType eq "Intern"',
  'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
  'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
  'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
  'userType eq "Employee" and (emails.type eq "work")',
  'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
  'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
];

/** Every example PATCH path of RFC 7644 section 3.5.2 and its subsections. */
export const rfcPaths: readonly string[] = [
  'members',
  'name.familyName',
  'addresses[type eq "work"]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName',
  'emails[type eq "work" and value ew "example.com"]',
  'addresses[type eq "work"].streetAddress',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
];
