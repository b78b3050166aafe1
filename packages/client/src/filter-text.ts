import type { AttributePath, Filter } from '@scimkit/filter';

// Temporary printer until @scimkit/filter ships formatFilter.
function pathText(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

function print(filter: Filter, parent: 'And' | 'Or' | 'top'): string {
  switch (filter.kind) {
    case 'Comparison':
      return `${pathText(filter.path)} ${filter.operator} ${JSON.stringify(filter.value)}`;
    case 'Present':
      return `${pathText(filter.path)} pr`;
    case 'And': {
      const text = `${print(filter.left, 'And')} and ${print(filter.right, 'And')}`;
      return text;
    }
    case 'Or': {
      const text = `${print(filter.left, 'Or')} or ${print(filter.right, 'Or')}`;
      return parent === 'And' ? `(${text})` : text;
    }
    case 'Not':
      return `not (${print(filter.filter, 'top')})`;
    case 'ValuePath':
      return `${pathText(filter.path)}[${print(filter.filter, 'top')}]`;
  }
}

/** A filter as the text sent to the server. */
export function filterText(filter: string | Filter): string {
  return typeof filter === 'string' ? filter : print(filter, 'top');
}
