-- Metric rows keyed by two small numbers, and each version's sentences kept
-- once. Under 001 every metric row and its key repeated the region, year,
-- type and 64-character content hash, and every metric carried its whole
-- sentence although a sentence holds two or three metrics: most of the
-- bytes a commit wrote (docs/PERFORMANCE.md has the figures). The rows
-- already stored are carried over; runs on SQLite 3.40 and PostgreSQL 15.

-- Each identity gets a number. The rows already there are numbered in key
-- order; the store hands out the next ones from store_counters.
ALTER TABLE report_identities ADD COLUMN identity_id BIGINT NOT NULL DEFAULT 0;
UPDATE report_identities SET identity_id = numbered.id
FROM (SELECT region, year, report_type,
             ROW_NUMBER() OVER (ORDER BY region, year, report_type) AS id
      FROM report_identities) AS numbered
WHERE numbered.region = report_identities.region
  AND numbered.year = report_identities.year
  AND numbered.report_type = report_identities.report_type;
CREATE UNIQUE INDEX report_identities_by_number
  ON report_identities (identity_id);

-- Counters the store draws numbers from, one row each. Taking a number
-- locks the row until the transaction ends, so replicas never hand out one
-- number twice; only batches that bring a new identity take it.
CREATE TABLE store_counters (
  name TEXT PRIMARY KEY,
  last_value BIGINT NOT NULL
);
INSERT INTO store_counters (name, last_value)
SELECT 'identity_id', COALESCE(MAX(identity_id), 0) FROM report_identities;

-- A version is also known by (identity number, commit_seq), which is unique
-- because commit_seq is unique per identity.
ALTER TABLE report_versions ADD COLUMN identity_id BIGINT NOT NULL DEFAULT 0;
UPDATE report_versions SET identity_id = i.identity_id
FROM report_identities AS i
WHERE i.region = report_versions.region AND i.year = report_versions.year
  AND i.report_type = report_versions.report_type;
CREATE UNIQUE INDEX report_versions_by_number
  ON report_versions (identity_id, commit_seq);

-- The distinct sentences of a version's metrics, numbered from 0 in the
-- order they first occur.
CREATE TABLE version_sentences (
  identity_id BIGINT NOT NULL,
  commit_seq BIGINT NOT NULL,
  sentence_ordinal INTEGER NOT NULL,
  sentence TEXT NOT NULL,
  PRIMARY KEY (identity_id, commit_seq, sentence_ordinal),
  FOREIGN KEY (identity_id, commit_seq)
    REFERENCES report_versions (identity_id, commit_seq)
);
INSERT INTO version_sentences
  (identity_id, commit_seq, sentence_ordinal, sentence)
SELECT v.identity_id, v.commit_seq,
       ROW_NUMBER() OVER (PARTITION BY v.identity_id, v.commit_seq
                          ORDER BY MIN(m.ordinal)) - 1,
       m.sentence
FROM metrics AS m
JOIN report_versions AS v
  ON v.region = m.region AND v.year = m.year
  AND v.report_type = m.report_type AND v.content_hash = m.content_hash
GROUP BY v.identity_id, v.commit_seq, m.sentence;

-- The metrics as in 001, the sentence replaced by its number. The key to
-- version_sentences also ties each row to its version.
CREATE TABLE compact_metrics (
  identity_id BIGINT NOT NULL,
  commit_seq BIGINT NOT NULL,
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
  sentence_ordinal INTEGER NOT NULL,
  topic TEXT NOT NULL,
  pattern TEXT NOT NULL,
  span_start BIGINT,
  span_end BIGINT,
  sentence_start BIGINT,
  sentence_end BIGINT,
  PRIMARY KEY (identity_id, commit_seq, ordinal),
  FOREIGN KEY (identity_id, commit_seq, sentence_ordinal)
    REFERENCES version_sentences (identity_id, commit_seq, sentence_ordinal)
);
INSERT INTO compact_metrics
SELECT v.identity_id, v.commit_seq, m.ordinal, m.indicator, m.canonical_id,
       m.value, m.value_bits, m.unit, m.qualifier, m.kind, m.direction,
       m.period_kind, m.period_year, m.period_end_year, m.period_text,
       m.section, s.sentence_ordinal, m.topic, m.pattern, m.span_start,
       m.span_end, m.sentence_start, m.sentence_end
FROM metrics AS m
JOIN report_versions AS v
  ON v.region = m.region AND v.year = m.year
  AND v.report_type = m.report_type AND v.content_hash = m.content_hash
JOIN version_sentences AS s
  ON s.identity_id = v.identity_id AND s.commit_seq = v.commit_seq
  AND s.sentence = m.sentence;
DROP TABLE metrics;
ALTER TABLE compact_metrics RENAME TO metrics;
