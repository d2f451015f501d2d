/**
 * A procedure-class file (code,class) for `yb dip build`: the same rows as a catalog's
 * px_class.csv, checked the same way.
 *
 *   readPxClassFile('px_class.csv') → Map {'51.2300' => 'surgical', …}
 */
import {readTextFile} from './text-file.js'
import {z} from 'zod'
import {InputErrors} from '../errors.js'
import type {PxClass} from '../grouper/dip-catalog.js'
import {readTable} from './csv-table.js'

const schema = z.object({code: z.string().regex(/^\S+$/, 'must be one code without spaces'), class: z.enum(['diagnostic', 'therapeutic', 'surgical'])})

export function readPxClassFile(file: string): Map<string, Exclude<PxClass, 'conservative'>> {
  const table = readTable(file, readTextFile(file), ['code', 'class'], schema)
  if (table.errors.length > 0) throw new InputErrors(table.errors)
  return new Map(table.rows.map((row) => [row.value.code, row.value.class]))
}
