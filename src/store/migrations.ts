/**
 * Schema migrations, oldest first. Migration n brings a workspace from user_version n-1 to n.
 * Never edit a released migration; add a new one. (Nothing is released before the first landing
 * of main; migrations 2 and 3 were revised before it.)
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE scheme_version (
    scheme_id   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    source_path TEXT    NOT NULL,
    imported_at TEXT    NOT NULL,
    counts_json TEXT    NOT NULL,
    PRIMARY KEY (scheme_id, version),
    UNIQUE (scheme_id, sha256)
  );
  CREATE TABLE scheme_file (
    scheme_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    content   TEXT    NOT NULL,
    PRIMARY KEY (scheme_id, version, name),
    FOREIGN KEY (scheme_id, version) REFERENCES scheme_version (scheme_id, version)
  );
  `,
  `
  CREATE TABLE institution (
    institution_id TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    level          TEXT NOT NULL,
    coefficient    TEXT NOT NULL,
    pools          TEXT NOT NULL,
    row_hash       TEXT NOT NULL
  );
  CREATE TABLE drg_weight (
    year              INTEGER NOT NULL,
    drg               TEXT    NOT NULL,
    institution_level TEXT    NOT NULL,
    weight            TEXT    NOT NULL,
    drg_name          TEXT    NOT NULL,
    avg_cost          TEXT    NOT NULL,
    row_hash          TEXT    NOT NULL,
    PRIMARY KEY (year, drg, institution_level)
  );
  CREATE TABLE settlement_case (
    settlement_id  TEXT PRIMARY KEY,
    month          TEXT NOT NULL,
    case_no        TEXT NOT NULL,
    institution_id TEXT NOT NULL REFERENCES institution (institution_id),
    insurance_type TEXT NOT NULL,
    insured_region TEXT NOT NULL,
    admit_date     TEXT NOT NULL,
    discharge_date TEXT NOT NULL,
    sex            TEXT NOT NULL,
    age_years      TEXT NOT NULL,
    age_days       TEXT NOT NULL,
    birth_weight_g TEXT NOT NULL,
    los_days       TEXT NOT NULL,
    discharge_mode TEXT NOT NULL,
    dx_codes       TEXT NOT NULL,
    px_codes       TEXT NOT NULL,
    total_cost     TEXT NOT NULL,
    fund_recorded  TEXT NOT NULL,
    self_pay_all   TEXT NOT NULL,
    self_pay_first TEXT NOT NULL,
    deductible     TEXT NOT NULL,
    co_pay         TEXT NOT NULL,
    other_funds    TEXT NOT NULL,
    row_hash       TEXT NOT NULL
  );
  -- Pages of a month's cases are read in settlement_id order: one index serves filter and order.
  CREATE INDEX settlement_case_month_id ON settlement_case (month, settlement_id);
  CREATE TABLE import_log (
    import_id     INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    file          TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    scope         TEXT    NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_inserted INTEGER NOT NULL,
    rows_same     INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    imported_at   TEXT    NOT NULL
  );
  `,
  `
  CREATE TABLE policy_version (
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    source_path TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    imported_at TEXT    NOT NULL,
    PRIMARY KEY (year, version),
    UNIQUE (year, sha256)
  );
  CREATE TABLE run (
    run_id      INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    period      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    inputs_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    superseded_by INTEGER REFERENCES run (run_id)
  );
  CREATE INDEX run_period ON run (kind, period);
  CREATE TABLE run_institution (
    run_id         INTEGER NOT NULL REFERENCES run (run_id),
    institution_id TEXT    NOT NULL,
    pool           TEXT    NOT NULL,
    lines_json     TEXT    NOT NULL,
    PRIMARY KEY (run_id, institution_id, pool)
  );
  CREATE TABLE run_case (
    run_id         INTEGER NOT NULL REFERENCES run (run_id),
    settlement_id  TEXT    NOT NULL,
    institution_id TEXT    NOT NULL,
    pool           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    mdc            TEXT    NOT NULL,
    drg            TEXT    NOT NULL,
    weight         TEXT    NOT NULL,
    payment        TEXT    NOT NULL,
    outlier        TEXT    NOT NULL,
    standard_yuan  TEXT    NOT NULL,
    adjusted_yuan  TEXT    NOT NULL,
    fund_yuan      TEXT    NOT NULL,
    steps          TEXT    NOT NULL,
    PRIMARY KEY (run_id, settlement_id)
  ) WITHOUT ROWID;
  CREATE TABLE period (
    kind      TEXT NOT NULL,
    period    TEXT NOT NULL,
    state     TEXT NOT NULL,
    run_id    INTEGER REFERENCES run (run_id),
    PRIMARY KEY (kind, period)
  );
  CREATE TABLE period_log (
    log_id INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL,
    period TEXT NOT NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE deduction (
    deduction_id   TEXT PRIMARY KEY,
    year           INTEGER NOT NULL,
    month          TEXT    NOT NULL,
    institution_id TEXT    NOT NULL REFERENCES institution (institution_id),
    pool           TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    amount_yuan    TEXT    NOT NULL,
    basis          TEXT    NOT NULL,
    row_hash       TEXT    NOT NULL
  );
  CREATE INDEX deduction_period ON deduction (year, month);
  `,
  `
  ALTER TABLE run_case ADD COLUMN points TEXT NOT NULL DEFAULT '';
  CREATE TABLE special_case (
    settlement_id      TEXT PRIMARY KEY REFERENCES settlement_case (settlement_id),
    decision           TEXT NOT NULL,
    approved_cost_yuan TEXT NOT NULL,
    approved_score     TEXT NOT NULL,
    note               TEXT NOT NULL,
    source             TEXT NOT NULL,
    row_hash           TEXT NOT NULL
  );
  `,
  `
  -- 6: a case's own payment method (blank: the year's DRG or DIP; 床日; 项目) and per-diem category.
  ALTER TABLE settlement_case ADD COLUMN payment_method TEXT NOT NULL DEFAULT '';
  ALTER TABLE settlement_case ADD COLUMN per_diem_category TEXT NOT NULL DEFAULT '';
  `,
  `
  -- 7: who closed a period, when and why; who opened or closed it in the log.
  ALTER TABLE period ADD COLUMN closed_at TEXT NOT NULL DEFAULT '';
  ALTER TABLE period ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
  ALTER TABLE period ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';
  ALTER TABLE period_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
  -- A case's 特例单议 decision as the run saw it (its statement must not change with later decisions).
  ALTER TABLE run_case ADD COLUMN special TEXT NOT NULL DEFAULT '';
  `,
  `
  -- 8: one writer at a time (store/writer.ts).
  CREATE TABLE writer_lock (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    pid        INTEGER NOT NULL,
    command    TEXT    NOT NULL,
    started_at TEXT    NOT NULL,
    host       TEXT    NOT NULL
  );
  `,
  `
  -- 9: corrections of cases settled in closed months (冲正 / 补退), settled in an open month.
  CREATE TABLE case_correction (
    settlement_id     TEXT NOT NULL REFERENCES settlement_case (settlement_id),
    month             TEXT NOT NULL,
    original_month    TEXT NOT NULL,
    case_no           TEXT NOT NULL,
    institution_id    TEXT NOT NULL REFERENCES institution (institution_id),
    insurance_type    TEXT NOT NULL,
    insured_region    TEXT NOT NULL,
    admit_date        TEXT NOT NULL,
    discharge_date    TEXT NOT NULL,
    sex               TEXT NOT NULL,
    age_years         TEXT NOT NULL,
    age_days          TEXT NOT NULL,
    birth_weight_g    TEXT NOT NULL,
    los_days          TEXT NOT NULL,
    discharge_mode    TEXT NOT NULL,
    dx_codes          TEXT NOT NULL,
    px_codes          TEXT NOT NULL,
    total_cost        TEXT NOT NULL,
    fund_recorded     TEXT NOT NULL,
    self_pay_all      TEXT NOT NULL,
    self_pay_first    TEXT NOT NULL,
    deductible        TEXT NOT NULL,
    co_pay            TEXT NOT NULL,
    other_funds       TEXT NOT NULL,
    payment_method    TEXT NOT NULL,
    per_diem_category TEXT NOT NULL,
    row_hash          TEXT NOT NULL,
    PRIMARY KEY (settlement_id, month)
  );
  CREATE INDEX case_correction_month ON case_correction (month, settlement_id);
  CREATE TABLE run_correction (
    run_id                   INTEGER NOT NULL REFERENCES run (run_id),
    settlement_id            TEXT    NOT NULL,
    reverses_run_id          INTEGER NOT NULL,
    reversed_institution_id  TEXT    NOT NULL,
    reversed_pool            TEXT    NOT NULL,
    reversed_fund_yuan       TEXT    NOT NULL,
    institution_id           TEXT    NOT NULL,
    pool                     TEXT    NOT NULL,
    status                   TEXT    NOT NULL,
    drg                      TEXT    NOT NULL,
    weight                   TEXT    NOT NULL,
    payment                  TEXT    NOT NULL,
    outlier                  TEXT    NOT NULL,
    standard_yuan            TEXT    NOT NULL,
    adjusted_yuan            TEXT    NOT NULL,
    fund_yuan                TEXT    NOT NULL,
    points                   TEXT    NOT NULL,
    PRIMARY KEY (run_id, settlement_id)
  ) WITHOUT ROWID;
  `,
  `
  -- 10: tamper evidence: a hash over what each run wrote; the hash of a closed period's statements.
  ALTER TABLE run ADD COLUMN written_sha256 TEXT NOT NULL DEFAULT '';
  ALTER TABLE period ADD COLUMN statements_sha256 TEXT NOT NULL DEFAULT '';
  `,
  `
  -- 11: the order a run wrote its cases in, which its seal hashes them in.
  ALTER TABLE run_case ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- 12: every record of an imported file accounted: blank records skipped are counted too.
  ALTER TABLE import_log ADD COLUMN rows_skipped INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- 13: the department and physician of a case (出院科别, 主诊医师代码), for yb evaluate --by.
  ALTER TABLE settlement_case ADD COLUMN department TEXT NOT NULL DEFAULT '';
  ALTER TABLE settlement_case ADD COLUMN physician TEXT NOT NULL DEFAULT '';
  ALTER TABLE case_correction ADD COLUMN department TEXT NOT NULL DEFAULT '';
  ALTER TABLE case_correction ADD COLUMN physician TEXT NOT NULL DEFAULT '';
  `,
  `
  -- 14: 参保人编号 (kept as a salted hash) for yb audit, and the supervision signals each audit found.
  ALTER TABLE settlement_case ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE case_correction ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
  CREATE INDEX settlement_case_person ON settlement_case (person_id, institution_id) WHERE person_id <> '';
  CREATE TABLE workspace_secret (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE audit_run (
    audit_id    INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    inputs_json TEXT NOT NULL,
    result_json TEXT NOT NULL
  );
  CREATE TABLE audit_signal (
    audit_id       INTEGER NOT NULL REFERENCES audit_run (audit_id),
    signal_no      INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    institution_id TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    evidence_json  TEXT    NOT NULL,
    PRIMARY KEY (audit_id, signal_no)
  );
  CREATE TABLE audit_case (
    audit_id      INTEGER NOT NULL REFERENCES audit_run (audit_id),
    settlement_id TEXT    NOT NULL,
    signal_no     INTEGER NOT NULL,
    PRIMARY KEY (audit_id, settlement_id, signal_no)
  ) WITHOUT ROWID;
  `,
  `
  -- 15: 按人头付费 and 门特 packages: enrolment and the fund's outpatient spending per month (category '' = general capitation).
  CREATE TABLE enrollment (
    month          TEXT NOT NULL,
    institution_id TEXT NOT NULL REFERENCES institution (institution_id),
    pool           TEXT NOT NULL,
    category       TEXT NOT NULL,
    persons        TEXT NOT NULL,
    row_hash       TEXT NOT NULL,
    PRIMARY KEY (month, institution_id, pool, category)
  );
  CREATE TABLE outpatient_spending (
    month             TEXT NOT NULL,
    institution_id    TEXT NOT NULL REFERENCES institution (institution_id),
    pool              TEXT NOT NULL,
    category          TEXT NOT NULL,
    own_fund_yuan     TEXT NOT NULL,
    outside_fund_yuan TEXT NOT NULL,
    row_hash          TEXT NOT NULL,
    PRIMARY KEY (month, institution_id, pool, category)
  );
  `,
]
