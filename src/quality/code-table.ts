/**
 * The codes a quality check has seen, each with a bit per list it is in and one for whether the
 * scheme's dictionary knows it (src/quality/qc-compile.ts looks each code of a case up once).
 *
 *   const table = new CodeTable([femaleDx, perinatalDx], (code) => dictionary.hasDx(code))
 *   const id = table.id('O80.000');  table.has(id, 0) → true;  table.has(id, table.knownBit) → true
 */
import type {QcList} from './qc-pack.js'

/** A list's membership of one code: exact, by prefix, or by a range of the code's start. */
export function inList(list: QcList, code: string): boolean {
  if (list.exact.has(code)) return true
  for (const prefix of list.prefixes) if (code.startsWith(prefix)) return true
  for (const {low, high} of list.ranges) {
    const start = code.slice(0, low.length)
    if (start >= low && start <= high) return true
  }
  return false
}

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 16777619

/**
 * The codes of one kind (dx or px) seen so far: id → its bits, `words` 32-bit words per code; bit
 * k is list k of the kind, the last bit the dictionary's "known". Found by an FNV hash of the
 * code's characters in an open-addressed table: each case brings freshly read strings, whose hash
 * a Map would compute on a slow path (grouper/code-dictionary.ts measured it: ~2× slower).
 * Bounded: past CODES_MAX codes the table starts again, between two cases (resetIfFull), so a
 * file of junk codes keeps memory flat.
 */
export class CodeTable {
  private slots = new Int32Array(4096).fill(-1)
  private hashes = new Int32Array(4096)
  private codes: string[] = []
  bits: Uint32Array
  readonly words: number
  private readonly lists: readonly QcList[]
  private readonly known: ((code: string) => boolean) | undefined
  readonly knownBit: number
  private static readonly CODES_MAX = 500_000

  constructor(lists: readonly QcList[], known: ((code: string) => boolean) | undefined) {
    this.lists = lists
    this.known = known
    this.knownBit = lists.length
    this.words = (lists.length >> 5) + 1
    this.bits = new Uint32Array(1024 * this.words)
  }

  id(code: string): number {
    let hash = FNV_OFFSET
    for (let k = 0; k < code.length; k++) hash = Math.imul(hash ^ code.charCodeAt(k), FNV_PRIME)
    const mask = this.slots.length - 1
    let slot = hash & mask
    for (;;) {
      const id = this.slots[slot]!
      if (id === -1) break
      if (this.hashes[slot] === hash && this.codes[id] === code) return id
      slot = (slot + 1) & mask
    }
    const next = this.codes.length
    this.codes.push(code)
    this.slots[slot] = next
    this.hashes[slot] = hash
    if (this.codes.length * 2 > this.slots.length) this.rehash()
    if ((next + 1) * this.words > this.bits.length) {
      const grown = new Uint32Array(this.bits.length * 2)
      grown.set(this.bits)
      this.bits = grown
    }
    const base = next * this.words
    this.bits.fill(0, base, base + this.words)
    this.lists.forEach((list, k) => {
      if (inList(list, code)) this.bits[base + (k >> 5)]! |= 1 << (k & 31)
    })
    if (this.known?.(code) === true) this.bits[base + (this.knownBit >> 5)]! |= 1 << (this.knownBit & 31)
    return next
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1)
    const hashes = new Int32Array(slots.length)
    const mask = slots.length - 1
    for (let s = 0; s < this.slots.length; s++) {
      const id = this.slots[s]!
      if (id === -1) continue
      let slot = this.hashes[s]! & mask
      while (slots[slot] !== -1) slot = (slot + 1) & mask
      slots[slot] = id
      hashes[slot] = this.hashes[s]!
    }
    this.slots = slots
    this.hashes = hashes
  }

  resetIfFull(): void {
    if (this.codes.length < CodeTable.CODES_MAX) return
    this.slots = new Int32Array(4096).fill(-1)
    this.hashes = new Int32Array(4096)
    this.codes = []
  }

  has(id: number, bit: number): boolean {
    return ((this.bits[id * this.words + (bit >> 5)]! >>> (bit & 31)) & 1) === 1
  }
}
