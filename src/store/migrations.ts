/**
 * Schema migrations, oldest first. Migration n brings a workspace from user_version n-1 to n.
 * Never edit a released migration; add a new one.
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
]
