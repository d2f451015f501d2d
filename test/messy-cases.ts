// A case file with what breaks a reader at every turn, for the tests of grouping in shares
// (test/cli/group-workers.test.ts on threads, test/grouper/group-share.test.ts in one thread).

const HEADER = 'settlement_id,institution_id,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,note'

/** 120 records: good cases of every kind, blank and Excel-blank lines, quoted cells (one over two lines), short rows, bad numbers, an unclosed quote. */
export function messyFile(): string {
  const kinds = ['1,66,24100,,9,1,I63.900|J96.000,,18230.50,', '2,30,11000,,4,1,O80.000,73.5900,6100.00,', '1,0,3,1400,30,1,P07.100,,88000.00,newborn', '1,50,18300,,5,1,Z51.100,99.2500,9000.10,', ',70,25600,,6,1,I63.900,,12000.00,sex missing', '1,61,22300,,3,1,I63.900,47.0900,15000.00,qy']
  const rows = [HEADER]
  for (let k = 0; k < 120; k++) {
    const id = `S${String(k).padStart(3, '0')}`
    if (k % 23 === 4) rows.push('')
    else if (k % 19 === 6) rows.push(',,,,,,,,,,,')
    else if (k === 33) rows.push(`${id},H01,1,66,24100,,9,1,I63.900,,18230.50,"two\nlines, one cell"`)
    else if (k % 17 === 9) rows.push(`${id},H01,1,66,24100,,9,1,I63.900,,"18,230.50",quoted amount`)
    else if (k % 29 === 11) rows.push(`${id},H02,1,66`)
    else if (k === 77) rows.push(`${id},H02,1,66,24100,,9,1,I63.900,,18230.50,"never closed`)
    else rows.push(`${id},H0${(k % 3) + 1},${kinds[k % kinds.length]}`)
  }
  return `${rows.join('\n')}\n`
}
