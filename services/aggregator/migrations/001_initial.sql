-- The store's first schema. Every statement runs on SQLite 3.40 and
-- PostgreSQL 15 alike: natural keys instead of AUTOINCREMENT/SERIAL, 0/1
-- integers instead of BOOLEAN, enums as their proto numbers.

-- One row per report identity. Writers lock it before deciding anything
-- about the identity's versions, so replicas committing versions of the
-- same report at once take turns. version_count numbers the versions.
CREATE TABLE report_identities (
  region TEXT NOT NULL,
  year INTEGER NOT NULL,
  report_type INTEGER NOT NULL,
  version_count BIGINT NOT NULL,
  PRIMARY KEY (region, year, report_type)
);

-- Every version ever committed; the primary key makes one version stored
-- twice impossible.
CREATE TABLE report_versions (
  region TEXT NOT NULL,
  year INTEGER NOT NULL,
  report_type INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  -- The order versions of this identity were committed in, from 1.
  commit_seq BIGINT NOT NULL,
  is_current INTEGER NOT NULL CHECK (is_current IN (0, 1)),
  report_id TEXT NOT NULL,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  pattern_pack_version TEXT NOT NULL,
  metric_count INTEGER NOT NULL,
  committed_at BIGINT NOT NULL,
  PRIMARY KEY (region, year, report_type, content_hash),
  UNIQUE (region, year, report_type, commit_seq),
  FOREIGN KEY (region, year, report_type)
    REFERENCES report_identities (region, year, report_type)
);

-- At most one current version per identity, whatever a writer does.
CREATE UNIQUE INDEX report_versions_one_current
  ON report_versions (region, year, report_type) WHERE is_current = 1;

-- The metrics of each version in document order. value is for people and
-- SQL (NULL for a NaN, which SQLite cannot store); the store reads
-- value_bits, the IEEE-754 bits, because SQLite also stores -0.0 as the
-- integer 0. NULL period or span columns mean the metric had none.
CREATE TABLE metrics (
  region TEXT NOT NULL,
  year INTEGER NOT NULL,
  report_type INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  indicator TEXT NOT NULL,
  canonical_id TEXT NOT NULL,
  value DOUBLE PRECISION,
  value_bits BIGINT NOT NULL,
  unit TEXT NOT NULL,
  qualifier INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  direction INTEGER NOT NULL,
  period_kind INTEGER,
  period_year INTEGER,
  period_end_year INTEGER,
  period_text TEXT,
  section TEXT NOT NULL,
  sentence TEXT NOT NULL,
  topic TEXT NOT NULL,
  pattern TEXT NOT NULL,
  span_start BIGINT,
  span_end BIGINT,
  sentence_start BIGINT,
  sentence_end BIGINT,
  PRIMARY KEY (region, year, report_type, content_hash, ordinal),
  FOREIGN KEY (region, year, report_type, content_hash)
    REFERENCES report_versions (region, year, report_type, content_hash)
);
