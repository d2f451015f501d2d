// The contracts scripts rely on, kept in the repository (contracts/): a JSON Schema for every
// command's --json result, generated from the type its run() returns (TypeScript's own checker,
// no schema written by hand), and every command's flags and arguments from oclif.manifest.json.
// test/cli/contracts.test.ts fails when either differs from what is committed.
//
//   node scripts/contracts.mjs          write contracts/ anew (after `npm run build`)
//   node scripts/contracts.mjs --check  exit 1 naming what changed
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'contracts')

/** Every command source file and its oclif id (src/commands/cases/import.ts → cases:import). */
function commandFiles(dir = join(root, 'src', 'commands')) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return commandFiles(path)
    if (!/\.tsx?$/.test(entry.name)) return []
    const id = relative(join(root, 'src', 'commands'), path).replace(/\.tsx?$/, '').replace(/\/index$/, '').split('/').join(':')
    return [{id, path}]
  })
}

/** A JSON Schema (draft 2020-12 subset) for a TypeScript type as JSON.stringify writes it. */
function schemaOf(checker, type, seen = new Map()) {
  if (type.flags & ts.TypeFlags.Any || type.flags & ts.TypeFlags.Unknown) return {}
  if (type.flags & ts.TypeFlags.Void || type.flags & ts.TypeFlags.Undefined) return {not: {}}
  if (type.flags & ts.TypeFlags.Null) return {type: 'null'}
  if (type.flags & ts.TypeFlags.StringLiteral) return {const: type.value}
  if (type.flags & ts.TypeFlags.NumberLiteral) return {const: type.value}
  if (type.flags & ts.TypeFlags.BooleanLiteral) return {const: checker.typeToString(type) === 'true'}
  if (type.flags & ts.TypeFlags.String || type.flags & ts.TypeFlags.TemplateLiteral) return {type: 'string'}
  if (type.flags & ts.TypeFlags.Number) return {type: 'number'}
  if (type.flags & ts.TypeFlags.Boolean) return {type: 'boolean'}
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined))
    const consts = parts.every((t) => t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral))
    if (consts) return {enum: parts.map((t) => t.value).sort()}
    if (parts.length === 2 && parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return {type: 'boolean'}
    const schemas = parts.map((t) => schemaOf(checker, t, seen))
    return schemas.length === 1 ? schemas[0] : {anyOf: schemas}
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const args = checker.getTypeArguments(type)
    if (checker.isTupleType(type)) return {type: 'array', prefixItems: args.map((t) => schemaOf(checker, t, seen)), items: false}
    return {type: 'array', items: schemaOf(checker, args[0], seen)}
  }
  const name = checker.typeToString(type)
  if (seen.has(name)) return {$ref: `#/$defs/${seen.get(name)}`}
  if (type.flags & ts.TypeFlags.Object) {
    const properties = checker.getPropertiesOfType(type).filter((p) => {
      const t = checker.getTypeOfSymbol(p)
      return !(t.getCallSignatures().length > 0)
    })
    const index = type.getStringIndexType() ?? type.getNumberIndexType()
    seen.set(name, name)
    const schema = {type: 'object'}
    if (properties.length > 0) {
      schema.properties = Object.fromEntries(properties.map((p) => [p.name, schemaOf(checker, checker.getTypeOfSymbol(p), new Map(seen))]))
      const required = properties.filter((p) => !(p.flags & ts.SymbolFlags.Optional)).map((p) => p.name)
      if (required.length > 0) schema.required = required
    }
    if (index !== undefined) schema.additionalProperties = schemaOf(checker, index, new Map(seen))
    else schema.additionalProperties = false
    return schema
  }
  return {}
}

export function generate() {
  const configPath = join(root, 'tsconfig.json')
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {}})
  const program = ts.createProgram({rootNames: config.fileNames, options: {...config.options, noEmit: true}})
  const checker = program.getTypeChecker()
  const schemas = {}
  for (const {id, path} of commandFiles()) {
    const source = program.getSourceFile(path)
    if (source === undefined) throw new Error(`${path} is not in the TypeScript program`)
    let resultType
    ts.forEachChild(source, function visit(node) {
      if (ts.isClassDeclaration(node)) {
        for (const member of node.members) {
          if (ts.isMethodDeclaration(member) && member.name.getText(source) === 'run') {
            const signature = checker.getSignatureFromDeclaration(member)
            const returned = checker.getReturnTypeOfSignature(signature)
            resultType = checker.getTypeArguments(returned)[0] ?? returned
          }
        }
      }
    })
    if (resultType === undefined) throw new Error(`${path}: no run() found`)
    schemas[id] = {$schema: 'https://json-schema.org/draft/2020-12/schema', title: `yb ${id.split(':').join(' ')} --json`, ...schemaOf(checker, resultType)}
  }
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
  const flags = {}
  for (const [id, command] of Object.entries(manifest.commands).sort(([a], [b]) => a.localeCompare(b))) {
    flags[id] = {
      args: Object.fromEntries(Object.entries(command.args ?? {}).map(([name, a]) => [name, {required: a.required === true, description: a.description ?? ''}])),
      flags: Object.fromEntries(
        Object.entries(command.flags ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, f]) => [name, {type: f.type, ...(f.char ? {char: f.char} : {}), required: f.required === true, multiple: f.multiple === true, ...(f.options ? {options: f.options} : {}), ...(f.default !== undefined ? {default: f.default} : {}), ...(f.exclusive?.length ? {exclusive: f.exclusive} : {}), ...(f.exactlyOne?.length ? {exactlyOne: f.exactlyOne} : {}), ...(f.helpValue ? {helpValue: f.helpValue} : {})}]),
      ),
    }
  }
  return {schemas, flags}
}

/** The files of contracts/, as path → text. */
export function contractFiles() {
  const {schemas, flags} = generate()
  const files = new Map([['flags.json', `${JSON.stringify(flags, null, 2)}\n`]])
  for (const [id, schema] of Object.entries(schemas)) files.set(`json/${id.split(':').join('-')}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`)
  return files
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = contractFiles()
  if (process.argv.includes('--check')) {
    const changed = [...files].filter(([name, text]) => !existsSync(join(out, name)) || readFileSync(join(out, name), 'utf8') !== text).map(([name]) => name)
    if (changed.length > 0) {
      console.error(`contracts changed: ${changed.join(', ')} (run npm run contracts and commit contracts/)`)
      process.exit(1)
    }
    console.log(`contracts: ${files.size} files as committed`)
  } else {
    const staging = `${out}.partial`
    rmSync(staging, {recursive: true, force: true})
    mkdirSync(join(staging, 'json'), {recursive: true})
    for (const [name, text] of files) writeFileSync(join(staging, name), text)
    rmSync(out, {recursive: true, force: true})
    renameSync(staging, out)
    console.log(`contracts/: ${files.size} files (flags.json and ${files.size - 1} JSON Schemas)`)
  }
}
