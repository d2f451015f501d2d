// A validator for the JSON Schema subset scripts/contracts.mjs writes (type, const, enum, anyOf,
// not, properties, required, additionalProperties, items, prefixItems, $ref to $defs): the
// problems found, each with its JSON path, or [] when the value fits.
type Schema = Record<string, any>

export function schemaProblems(schema: Schema, value: unknown, path = '$', root: Schema = schema): string[] {
  if (schema.$ref !== undefined) return [] // a recursive type: its first level was checked
  if (schema.not !== undefined) return [`${path}: expected nothing, got ${JSON.stringify(value)?.slice(0, 80)}`]
  if ('const' in schema) return value === schema.const ? [] : [`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)?.slice(0, 80)}`]
  if (schema.enum !== undefined) return schema.enum.includes(value) ? [] : [`${path}: ${JSON.stringify(value)?.slice(0, 80)} is not one of ${JSON.stringify(schema.enum)}`]
  if (schema.anyOf !== undefined) {
    const all = (schema.anyOf as Schema[]).map((option) => schemaProblems(option, value, path, root))
    return all.some((p) => p.length === 0) ? [] : [`${path}: fits none of ${all.length} types (${all.map((p) => p[0]).join(' | ')})`]
  }
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  if (schema.type !== undefined && schema.type !== kind) return [`${path}: expected ${schema.type}, got ${kind}`]
  if (kind === 'array') {
    const items = value as unknown[]
    if (schema.prefixItems !== undefined) return (schema.prefixItems as Schema[]).flatMap((s, k) => schemaProblems(s, items[k], `${path}[${k}]`, root))
    return schema.items === undefined ? [] : items.flatMap((item, k) => schemaProblems(schema.items, item, `${path}[${k}]`, root)).slice(0, 10)
  }
  if (kind === 'object') {
    const object = value as Record<string, unknown>
    const problems: string[] = []
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) problems.push(`${path}: ${key} is missing`)
    for (const [key, item] of Object.entries(object)) {
      const known = schema.properties?.[key]
      if (known !== undefined) problems.push(...schemaProblems(known, item, `${path}.${key}`, root))
      else if (schema.additionalProperties === false) problems.push(`${path}: ${key} is not in the contract`)
      else if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) problems.push(...schemaProblems(schema.additionalProperties, item, `${path}.${key}`, root))
    }
    return problems
  }
  return []
}
