#!/usr/bin/env node
// Writes data/schemes/demo, the project's own small scheme pack (docs/scheme-pack.md).
// Real ICD-10 医保版 / ICD-9-CM-3 医保版 codes and names; the MDC/ADRG/DRG design is the
// project's own, small enough to read, and it exercises every rule feature: MDCA by
// procedure, newborn birth-weight splits, multiple trauma by body regions, QY, CC/MCC with
// exclusion tables, sex-specific MDCs, alternative ADRG rules (FM1 / FM1_2), age and
// birth-weight comparisons, `not`, `or`, parentheses, and lists resolved at every owner level.
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'schemes', 'demo')
mkdirSync(out, {recursive: true})
const csv = (rows) => rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n'

const dx = {
  'I63.900': '脑梗死', 'I63.500': '大脑动脉的闭塞或狭窄引起的脑梗死', 'G45.900': '短暂性大脑缺血性发作',
  'J18.900': '肺炎', 'J44.100': '慢性阻塞性肺病伴有急性加重', 'J96.000': '急性呼吸衰竭',
  'I50.900': '心力衰竭', 'I21.900': '急性心肌梗死', 'I48.000': '阵发性心房颤动', 'I20.000': '不稳定型心绞痛', 'I10.x00': '特发性（原发性）高血压',
  'K35.800': '急性阑尾炎，其他未特指', 'K92.200': '胃肠出血', 'K80.100': '胆囊结石伴有其他胆囊炎', 'K81.000': '急性胆囊炎', 'K74.600': '肝硬变',
  'S72.000': '股骨颈骨折', 'S72.200': '转子下骨折', 'S06.000': '脑震荡', 'S22.300': '肋骨骨折', 'S32.400': '髋臼骨折', 'S36.100': '肝或胆囊损伤',
  'C61.x00': '前列腺恶性肿瘤', 'N40.x00': '前列腺增生', 'C53.900': '宫颈恶性肿瘤', 'D25.900': '子宫平滑肌瘤',
  'O80.000': '头位顺产', 'O82.000': '经选择性剖宫产术的分娩', 'O34.201': '妊娠合并子宫瘢痕',
  'P07.100': '其他低出生体重（1000-2499克）', 'P07.300': '早产婴儿，其他的', 'P22.000': '新生儿呼吸窘迫综合征', 'P59.900': '新生儿黄疸', 'P05.100': '小于胎龄', 'Z38.000': '单胎，在医院内出生',
  'B20.000': '人类免疫缺陷病毒[HIV]病造成的分枝杆菌感染',
  'N17.900': '急性肾衰竭', 'N18.500': '慢性肾脏病5期',
  'E87.100': '低渗透性和低钠血症', 'D62.x00': '急性出血后贫血', 'A41.900': '脓毒症', 'E11.900': '2型糖尿病', 'Z51.100': '为肿瘤化学治疗疗程',
}
const px = {
  '55.6900': '其他肾移植术', '31.1x00': '暂时性气管造口术', '96.7200': '等于或大于96小时连续的持续性侵入性机械性通气', '96.7201': '呼吸机治疗[大于等于96小时]',
  '00.6600': '经皮冠状动脉腔内血管成形术[PTCA]', '36.0600': '非-药物洗脱冠状动脉支架置入', '36.0601': '冠状动脉药物涂层支架置入术',
  '39.7401': '经导管颅内血管血栓去除术', '01.2400': '其他颅骨切开术',
  '47.0900': '其他阑尾切除术', '47.0100': '腹腔镜下阑尾切除术', '46.1000': '结肠造口术', '44.4300': '内镜下胃或十二指肠出血控制',
  '51.2300': '腹腔镜下胆囊切除术', '51.2200': '胆囊切除术', '81.5100': '全髋关节置换', '79.3501': '股骨骨折切开复位内固定术',
  '60.5x00': '根治性前列腺切除术', '60.2900': '其他经尿道前列腺切除术', '68.4100': '腹腔镜经腹全子宫切除术', '68.4901': '经腹全子宫切除术',
  '74.1x00': '低位子宫下段剖宫产', '32.4100': '胸腔镜下肺叶切除术', '32.2901': '肺病损切除术',
  '73.5900': '其他手法助产', '87.4100': '胸计算机轴向断层照相术', '88.3800': '其他计算机轴向断层照相术', '93.9000': '无创机械性通气',
  '38.9300': '静脉导管插入术', '99.2500': '注射或输注癌瘤化学治疗药物', '86.2200': '伤口、感染或烧伤的切除性清创术',
}
// Operating-room procedures: the scheme-wide `valid_px` list (QY check, MDCY/MDCZ rules).
const validPx = ['55.6900', '31.1x00', '00.6600', '36.0600', '36.0601', '39.7401', '01.2400', '47.0900', '47.0100', '46.1000', '51.2300', '51.2200', '81.5100', '79.3501', '60.5x00', '60.2900', '68.4100', '68.4901', '74.1x00', '32.4100', '32.2901', '86.2200']

const mdc = [
  ['order', 'mdc', 'name', 'qy', 'rule'],
  [1, 'MDCA', '先期分组疾病及相关操作', 'no', 'main_px in entry_px'],
  [2, 'MDCP', '新生儿及其他围产期新生儿疾病', 'no', 'pdx in zd and age_days <= 28'],
  [3, 'MDCY', 'HIV 感染疾病及相关操作', 'no', 'pdx in zd'],
  [4, 'MDCZ', '多发严重创伤', 'yes', 'pdx in zd and body_regions >= 2'],
  [5, 'MDCM', '男性生殖系统疾病及功能障碍', 'yes', 'pdx in zd and sex = 1'],
  [6, 'MDCN', '女性生殖系统疾病及功能障碍', 'yes', 'pdx in zd and sex = 2'],
  [7, 'MDCB', '神经系统疾病及功能障碍', 'yes', 'pdx in zd'],
  [8, 'MDCE', '呼吸系统疾病及功能障碍', 'yes', 'pdx in zd'],
  [9, 'MDCF', '循环系统疾病及功能障碍', 'yes', 'pdx in zd'],
  [10, 'MDCG', '消化系统疾病及功能障碍', 'yes', 'pdx in zd'],
  [11, 'MDCH', '肝、胆、胰疾病及功能障碍', 'yes', 'pdx in zd'],
  [12, 'MDCI', '肌肉、骨骼疾病及功能障碍', 'yes', 'pdx in zd'],
  [13, 'MDCL', '肾脏及泌尿系统疾病及功能障碍', 'no', 'pdx in zd'],
  [14, 'MDCO', '妊娠、分娩及产褥期', 'yes', 'pdx in zd and sex = 2'],
]
// [mdc, rule_id, adrg, name, partition, rule, drgs: [suffix, name suffix, rule]]
const MCC = ['1', '伴严重并发症或合并症', 'has_mcc']
const CC = ['3', '伴并发症或合并症', 'has_cc']
const NONE = ['5', '不伴并发症或合并症', 'true']
const ONLY = ['9', '', 'true']
const adrgs = [
  ['MDCA', 'AE1', 'AE1', '肾移植', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCA', 'AH1', 'AH1', '气管切开伴呼吸机支持≥96小时', 'procedure', 'main_px in ss or (any_px in trach and any_px in vent)', [MCC, NONE]],
  ['MDCP', 'PB1', 'PB1', '新生儿（出生年龄<29天）腹部手术', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCP', 'PR1', 'PR1', '新生儿呼吸窘迫综合征', 'medical', 'pdx in zd', [MCC, CC, NONE]],
  ['MDCP', 'PS1', 'PS1', '极度发育不全（出生体重<1500g）', 'medical', 'birth_weight_g < 1500', [MCC, NONE]],
  ['MDCP', 'PS2', 'PS2', '早产儿（出生体重1500-1999g）', 'medical', 'birth_weight_g >= 1500 and birth_weight_g < 2000', [MCC, NONE]],
  ['MDCP', 'PS3', 'PS3', '早产儿（出生体重2000-2499g）', 'medical', 'birth_weight_g >= 2000 and birth_weight_g < 2500', [ONLY]],
  ['MDCP', 'PS4', 'PS4', '早产儿（出生体重>2499g）', 'medical', 'any_dx in zd and birth_weight_g >= 2500', [CC, NONE]],
  ['MDCP', 'PU1', 'PU1', '足月儿', 'medical', 'true', [CC, NONE]],
  ['MDCY', 'YR1', 'YR1', 'HIV 相关疾患', 'medical', 'pdx in zd', [MCC, NONE]],
  ['MDCZ', 'ZB1', 'ZB1', '多发性严重创伤开颅术', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCZ', 'ZC1', 'ZC1', '多发性严重创伤的髋、股手术', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCZ', 'ZZ1', 'ZZ1', '多发性重要创伤无手术', 'medical', 'not any_px in valid_px', [ONLY]],
  ['MDCM', 'MA1', 'MA1', '男性生殖器官恶性肿瘤手术', 'procedure', 'pdx in zd and main_px in ss', [MCC, CC, NONE]],
  ['MDCM', 'MB1', 'MB1', '经尿道前列腺手术', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCM', 'MR1', 'MR1', '男性生殖系统恶性肿瘤', 'medical', 'pdx in tumour', [CC, NONE]],
  ['MDCM', 'MZ1', 'MZ1', '男性生殖系统其他疾患', 'medical', 'true', [ONLY]],
  ['MDCN', 'NA1', 'NA1', '女性生殖器官恶性肿瘤手术', 'procedure', 'pdx in zd and main_px in ss', [MCC, NONE]],
  ['MDCN', 'NE1', 'NE1', '子宫（除内膜以外）手术', 'procedure', 'main_px in ss', [CC, NONE]],
  ['MDCN', 'NR1', 'NR1', '女性生殖系统恶性肿瘤', 'medical', 'pdx in zd', [CC, NONE]],
  ['MDCN', 'NZ1', 'NZ1', '女性生殖系统其他疾患', 'medical', 'true', [ONLY]],
  ['MDCB', 'BE2', 'BE2', '脑血管介入治疗', 'procedure', 'main_px in ss', [MCC, NONE]],
  ['MDCB', 'BB1', 'BB1', '颅骨切开术', 'procedure', 'main_px in ss', [MCC, NONE]],
  ['MDCB', 'BR2', 'BR2', '脑缺血性疾患', 'medical', 'pdx in zd', [MCC, CC, NONE]],
  ['MDCB', 'BZ1', 'BZ1', '神经系统其他疾患', 'medical', 'true', [ONLY]],
  ['MDCE', 'EB1', 'EB1', '肺大手术', 'procedure', 'main_px in ss', [MCC, NONE]],
  ['MDCE', 'ES3', 'ES3', '呼吸系统感染/炎症', 'medical', 'pdx in zd', [MCC, ['2', '年龄<14岁', 'age_years < 14'], CC, NONE]],
  ['MDCE', 'ET2', 'ET2', '慢性气道阻塞病', 'medical', 'pdx in zd', [MCC, NONE]],
  ['MDCF', 'FM1', 'FM1', '经皮冠状动脉支架植入', 'procedure', 'main_px in ss', [MCC, CC, NONE]],
  ['MDCF', 'FM1_2', 'FM1', '经皮冠状动脉支架植入', 'procedure', 'any_px in ptca and any_px in stent', [MCC, CC, NONE]],
  ['MDCF', 'FM3', 'FM3', '经皮冠状动脉球囊扩张', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCF', 'FR1', 'FR1', '急性心肌梗死', 'medical', 'pdx in zd', [MCC, NONE]],
  ['MDCF', 'FT2', 'FT2', '心力衰竭、休克', 'medical', 'pdx in zd', [MCC, CC, NONE]],
  ['MDCF', 'FZ1', 'FZ1', '其他循环系统疾患', 'medical', 'true', [ONLY]],
  ['MDCG', 'GD1', 'GD1', '阑尾切除术', 'procedure', 'main_px in ss', [CC, NONE]],
  ['MDCG', 'GK1', 'GK1', '消化道内镜治疗', 'procedure', 'main_px in ss', [ONLY]],
  ['MDCG', 'GS1', 'GS1', '胃肠出血', 'medical', 'pdx in zd', [MCC, NONE]],
  ['MDCG', 'GZ1', 'GZ1', '其他消化系统诊断', 'medical', 'true', [ONLY]],
  ['MDCH', 'HC3', 'HC3', '胆囊切除手术', 'procedure', 'main_px in ss', [CC, NONE]],
  ['MDCH', 'HS2', 'HS2', '肝硬化', 'medical', 'pdx in zd', [MCC, NONE]],
  ['MDCH', 'HT1', 'HT1', '胆道疾患', 'medical', 'pdx in zd', [CC, NONE]],
  ['MDCI', 'IC2', 'IC2', '髋、肩、膝、肘和踝关节置换术', 'procedure', 'main_px in ss', [MCC, CC, NONE]],
  ['MDCI', 'IF3', 'IF3', '股骨手术', 'procedure', 'main_px in ss', [MCC, NONE]],
  ['MDCI', 'IS2', 'IS2', '除前臂、腕、手足外的损伤', 'medical', 'pdx in zd', [CC, NONE]],
  ['MDCL', 'LR1', 'LR1', '肾衰竭', 'medical', 'pdx in zd', [MCC, NONE]],
  ['MDCL', 'LZ1', 'LZ1', '肾脏及泌尿系统其他疾患', 'medical', 'true', [ONLY]],
  ['MDCO', 'OB1', 'OB1', '剖宫产术', 'procedure', 'main_px in ss', [CC, NONE]],
  ['MDCO', 'OR1', 'OR1', '阴道分娩', 'medical', 'pdx in zd and (los_days <= 10 or not has_cc)', [ONLY]],
  ['MDCO', 'OZ1', 'OZ1', '与妊娠相关的其他情况', 'medical', 'true', [ONLY]],
]
const lists = [
  ['*', 'valid_px', validPx],
  ['MDCA', 'entry_px', ['55.6900', '31.1x00', '96.7200', '96.7201']],
  ['AE1', 'ss', ['55.6900']],
  ['AH1', 'ss', ['96.7200', '96.7201']], ['AH1', 'trach', ['31.1x00']], ['AH1', 'vent', ['96.7200', '96.7201']],
  ['MDCP', 'zd', ['P07.100', 'P07.300', 'P22.000', 'P59.900', 'P05.100', 'Z38.000']],
  ['PB1', 'ss', ['47.0900', '46.1000']], ['PR1', 'zd', ['P22.000']], ['PS4', 'zd', ['P07.300', 'P05.100']],
  ['MDCY', 'zd', ['B20.000']],
  ['MDCZ', 'zd', ['S06.000', 'S22.300', 'S32.400', 'S36.100', 'S72.000', 'S72.200']],
  ['ZB1', 'ss', ['01.2400']], ['ZC1', 'ss', ['79.3501', '81.5100']],
  ['MDCM', 'zd', ['C61.x00', 'N40.x00']], ['MA1', 'zd', ['C61.x00']], ['MA1', 'ss', ['60.5x00']], ['MB1', 'ss', ['60.2900']],
  ['MDCN', 'zd', ['C53.900', 'D25.900']], ['NA1', 'zd', ['C53.900']], ['NA1', 'ss', ['68.4100', '68.4901']], ['NE1', 'ss', ['68.4100', '68.4901']],
  // MR1 names `tumour`, which it does not own: it resolves through the owner chain (rule_id → MDC → *).
  ['MDCM', 'tumour', ['C61.x00']], ['NR1', 'zd', ['C53.900']],
  ['MDCB', 'zd', ['I63.900', 'I63.500', 'G45.900', 'S06.000']], ['BE2', 'ss', ['39.7401']], ['BB1', 'ss', ['01.2400']], ['BR2', 'zd', ['I63.900', 'I63.500', 'G45.900']],
  ['MDCE', 'zd', ['J18.900', 'J44.100', 'J96.000']], ['EB1', 'ss', ['32.4100', '32.2901']], ['ES3', 'zd', ['J18.900']], ['ET2', 'zd', ['J44.100']],
  ['MDCF', 'zd', ['I21.900', 'I20.000', 'I50.900', 'I48.000', 'I10.x00']],
  ['FM1', 'ss', ['36.0600', '36.0601']], ['FM1_2', 'ptca', ['00.6600']], ['MDCF', 'stent', ['36.0600', '36.0601']], ['FM3', 'ss', ['00.6600']],
  ['FR1', 'zd', ['I21.900']], ['FT2', 'zd', ['I50.900']],
  ['MDCG', 'zd', ['K35.800', 'K92.200']], ['GD1', 'ss', ['47.0900', '47.0100']], ['GK1', 'ss', ['44.4300']], ['GS1', 'zd', ['K92.200']],
  ['MDCH', 'zd', ['K80.100', 'K81.000', 'K74.600']], ['HC3', 'ss', ['51.2300', '51.2200']], ['HS2', 'zd', ['K74.600']], ['HT1', 'zd', ['K80.100', 'K81.000']],
  ['MDCI', 'zd', ['S72.000', 'S72.200', 'S32.400', 'S22.300']], ['IC2', 'ss', ['81.5100']], ['IF3', 'ss', ['79.3501']], ['IS2', 'zd', ['S72.000', 'S72.200', 'S32.400', 'S22.300']],
  ['MDCL', 'zd', ['N17.900', 'N18.500']], ['LR1', 'zd', ['N17.900', 'N18.500']],
  ['MDCO', 'zd', ['O80.000', 'O82.000', 'O34.201']], ['OB1', 'ss', ['74.1x00']], ['OR1', 'zd', ['O80.000']],
]
const cc = [
  ['J96.000', 'MCC', 'resp'], ['A41.900', 'MCC', 'sepsis'], ['N17.900', 'MCC', 'renal'], ['I50.900', 'MCC', 'heart'],
  ['D62.x00', 'CC', 'blood'], ['E87.100', 'CC', 'metab'], ['I48.000', 'CC', 'heart'], ['J18.900', 'CC', 'resp'], ['N18.500', 'CC', 'renal'], ['K74.600', 'CC', 'liver'],
]
const pdxExclusion = [
  ['J18.900', 'resp'], ['J44.100', 'resp'], ['J96.000', 'resp'], ['I50.900', 'heart'], ['I21.900', 'heart'], ['I20.000', 'heart'], ['I48.000', 'heart'],
  ['N17.900', 'renal'], ['N18.500', 'renal'], ['K74.600', 'liver'], ['K92.200', 'blood'],
]
const bodyRegions = [
  ['S06.000', '头颈部创伤'], ['S22.300', '胸部创伤'], ['S32.400', '盆部创伤'], ['S36.100', '腹部创伤'], ['S72.000', '下肢创伤'], ['S72.200', '下肢创伤'],
]

const orders = new Map()
const adrgRows = [['mdc', 'order', 'rule_id', 'adrg', 'name', 'partition', 'rule']]
const drgRows = [['adrg', 'order', 'drg', 'name', 'rule']]
const done = new Set()
for (const [m, ruleId, adrg, name, partition, rule, drgs] of adrgs) {
  const order = (orders.get(m) ?? 0) + 1
  orders.set(m, order)
  adrgRows.push([m, order, ruleId, adrg, name, partition, rule])
  if (done.has(adrg)) continue
  done.add(adrg)
  drgs.forEach(([suffix, label, drgRule], k) => drgRows.push([adrg, k + 1, adrg + suffix, label ? `${name}，${label}` : name, drgRule]))
}
const files = {
  'mdc.csv': csv(mdc),
  'adrg.csv': csv(adrgRows),
  'drg.csv': csv(drgRows),
  'lists.csv': csv([['owner', 'list', 'code'], ...lists.flatMap(([owner, list, codes]) => codes.map((code) => [owner, list, code]))]),
  'cc.csv': csv([['code', 'level', 'exclusion_table'], ...cc]),
  'pdx_exclusion.csv': csv([['pdx', 'exclusion_table'], ...pdxExclusion]),
  'body_regions.csv': csv([['code', 'region'], ...bodyRegions]),
  'dx_names.csv': csv([['code', 'name'], ...Object.entries(dx)]),
  'px_names.csv': csv([['code', 'name'], ...Object.entries(px)]),
}
for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text)
writeFileSync(
  join(out, 'scheme.json'),
  JSON.stringify(
    {
      format: 'scheme-pack/1',
      id: 'demo',
      name: 'yb 演示方案 (demo pack)',
      kind: 'drg',
      source: 'Written by the yibao project (scripts/make-demo-pack.mjs): real ICD-10 医保版 and ICD-9-CM-3 医保版 codes and names, a small MDC/ADRG/DRG design of its own that exercises every rule feature. Not a payment scheme.',
      files: Object.keys(files),
    },
    null,
    2,
  ) + '\n',
)
console.log(`wrote ${out}`)
