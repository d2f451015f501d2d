// parseFen reads the canonical stored amount (digits, a point, exactly two digits, an optional
// leading minus) into integer 分, and refuses anything else rather than guess: the pay hot path
// reads five of them per case, so it is a character loop, held here to the format it replaced.
import {expect, it} from 'vitest'
import {parseFen} from '../../src/clearing/fen.js'

it('reads canonical amounts to 分 and refuses every other text', () => {
  expect(parseFen('12000.50')).toBe(1200050)
  expect(parseFen('-3.00')).toBe(-300)
  expect(parseFen('0.07')).toBe(7)
  expect(parseFen('007.10')).toBe(710)
  expect(parseFen('90071992547409.91')).toBe(9007199254740991)
  for (const bad of ['', '.00', '-.00', '1.0', '1.000', '1,00', 'a.00', '1.0a', '--1.00', '1.00 ', ' 1.00', '+1.00', '1e3.00', '90071992547409.92']) expect(() => parseFen(bad), bad).toThrow()
})
