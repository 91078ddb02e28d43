/**
 * A small, strict reader of the OpenAPI document: does a real response body have exactly the
 * shape the document gives it? Strict on purpose: a key the schema does not declare is a problem
 * (unless the schema allows additional properties), so a service that grows a field without its
 * response DTO fails here.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Operation {
  operationId: string;
  summary?: string;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }> }>;
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let s = schema;
  while (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`unresolved ${s.$ref}`);
    s = target;
  }
  return s;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The ways `value` at `path` differs from `schema`; empty when it conforms. */
export function problems(
  doc: OpenApiDocument,
  schema: Schema,
  value: unknown,
  path = '$',
): string[] {
  const s = resolve(doc, schema);
  if (s.allOf) {
    const own = s.allOf.flatMap((part) => (value === null ? [] : problems(doc, part, value, path)));
    if (value === null && !s.nullable) return [`${path}: null, not allowed`];
    return own;
  }
  if (s.oneOf || s.anyOf) {
    const choices = (s.oneOf ?? s.anyOf)!;
    const matching = choices.filter((c) => problems(doc, c, value, path).length === 0).length;
    if (s.oneOf && matching !== 1)
      return [`${path}: matches ${matching} of the oneOf choices, not exactly one`];
    if (s.anyOf && matching === 0) return [`${path}: matches none of the anyOf choices`];
    return [];
  }
  if (value === null) {
    if (s.nullable || s.enum?.includes(null)) return [];
    return [`${path}: null, but not nullable`];
  }
  if (s.enum && !s.enum.includes(value))
    return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`];
  const actual = typeOf(value);
  switch (s.type) {
    case 'string':
    case 'boolean':
      return actual === s.type ? [] : [`${path}: ${actual}, documented ${s.type}`];
    case 'number':
      return actual === 'number' ? [] : [`${path}: ${actual}, documented number`];
    case 'integer':
      return Number.isInteger(value)
        ? []
        : [`${path}: ${JSON.stringify(value)}, documented integer`];
    case 'array':
      if (actual !== 'array') return [`${path}: ${actual}, documented array`];
      return (value as unknown[]).flatMap((item, i) =>
        s.items ? problems(doc, s.items, item, `${path}[${i}]`) : [],
      );
    case 'object':
    case undefined: {
      if (actual !== 'object') return [`${path}: ${actual}, documented object`];
      const record = value as Record<string, unknown>;
      const declared = s.properties ?? {};
      const found: string[] = [];
      for (const key of s.required ?? [])
        if (!(key in record)) found.push(`${path}.${key}: documented as required, missing`);
      for (const [key, v] of Object.entries(record)) {
        if (declared[key]) found.push(...problems(doc, declared[key], v, `${path}.${key}`));
        else if (typeof s.additionalProperties === 'object')
          found.push(...problems(doc, s.additionalProperties, v, `${path}.${key}`));
        else if (s.additionalProperties !== true)
          found.push(`${path}.${key}: in the response, not in the document`);
      }
      return found;
    }
    default:
      return [`${path}: schema type ${s.type} not understood`];
  }
}

/** The JSON schema the document gives an operation's answer with this status. */
export function responseSchema(
  doc: OpenApiDocument,
  method: string,
  path: string,
  status: number,
): Schema {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} does not document ${status}`);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${status} has no JSON schema`);
  return schema;
}
