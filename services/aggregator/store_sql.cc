#include "services/aggregator/store_sql.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/aggregator/store_admission.h"
#include "services/aggregator/store_rows.h"

namespace reportpipe::aggregator {
namespace {

// Each failed attempt rolled back everything; only ABORTED (a deadlock or a
// constraint race another replica won) is worth another try.
constexpr int kCommitAttempts = 3;

using Identity = std::tuple<std::string, int64_t, int64_t>;

Identity IdentityOf(const v1::Receipt& receipt) {
  return {receipt.region(), receipt.year(), receipt.report_type()};
}

std::vector<SqlValue> IdentityParams(const Identity& identity) {
  return {std::get<0>(identity), std::get<1>(identity), std::get<2>(identity)};
}

// Gives each identity of the batch that has no row yet its row and a new
// number. The numbers come from store_counters, whose row stays locked
// until the transaction ends: a replica taking numbers at the same time
// waits, then takes the next ones. Nothing else is locked before it, so the
// wait cannot close a cycle. A batch whose identities all exist takes no
// number and never waits here.
absl::Status CreateMissingIdentities(Database& db,
                                     const std::set<Identity>& identities) {
  std::vector<const Identity*> missing;
  for (const Identity& identity : identities) {
    absl::StatusOr<std::vector<SqlRow>> found = db.Query(
        "SELECT identity_id FROM report_identities "
        "WHERE region = $1 AND year = $2 AND report_type = $3",
        IdentityParams(identity));
    if (!found.ok()) return found.status();
    if (found->empty()) missing.push_back(&identity);
  }
  if (missing.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<SqlRow>> last = db.Query(
      "UPDATE store_counters SET last_value = last_value + $1 "
      "WHERE name = 'identity_id' RETURNING last_value",
      {int64_t(missing.size())});
  if (!last.ok()) return last.status();
  if (last->empty()) {
    return absl::InternalError("store_counters has no identity_id row");
  }
  int64_t number = last->front().Int(0) - int64_t(missing.size());
  for (const Identity* identity : missing) {
    ++number;
    // A replica that created the identity since the SELECT above wins; the
    // number taken here is then left unused.
    if (absl::Status status = db.Execute(
            "INSERT INTO report_identities (region, year, report_type, "
            "version_count, identity_id) VALUES ($1, $2, $3, 0, $4) "
            "ON CONFLICT (region, year, report_type) DO NOTHING",
            {std::get<0>(*identity), std::get<1>(*identity),
             std::get<2>(*identity), number});
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

// Locks the identity's row until the transaction ends and returns its
// number. In PostgreSQL the UPDATE takes a row lock that a replica
// committing the same identity waits on (and then reads what this one
// committed); SQLite has one writer at a time anyway.
absl::StatusOr<int64_t> LockIdentity(Database& db, const Identity& identity) {
  absl::StatusOr<std::vector<SqlRow>> locked = db.Query(
      "UPDATE report_identities SET version_count = version_count "
      "WHERE region = $1 AND year = $2 AND report_type = $3 "
      "RETURNING identity_id",
      IdentityParams(identity));
  if (!locked.ok()) return locked.status();
  if (locked->empty()) {
    return absl::InternalError("report identity row missing after creation");
  }
  return locked->front().Int(0);
}

// Stores one admitted report whose identity (number `identity_id`) is
// locked, and completes its receipt.
absl::Status StoreVersion(Database& db, const v1::ExtractedReport& extracted,
                          int64_t identity_id, int64_t committed_at,
                          v1::Receipt* receipt) {
  std::vector<SqlValue> key = IdentityParams(IdentityOf(*receipt));
  key.push_back(std::string_view(receipt->content_hash()));
  absl::StatusOr<std::vector<SqlRow>> stored = db.Query(
      "SELECT metric_count FROM report_versions WHERE region = $1 AND "
      "year = $2 AND report_type = $3 AND content_hash = $4",
      key);
  if (!stored.ok()) return stored.status();
  if (!stored->empty()) {
    receipt->set_outcome(v1::RECEIPT_OUTCOME_DUPLICATE);
    receipt->set_metric_count(static_cast<int32_t>(stored->front().Int(0)));
    return absl::OkStatus();
  }

  const std::vector<SqlValue> identity = IdentityParams(IdentityOf(*receipt));
  if (absl::Status status = db.Execute(
          "UPDATE report_versions SET is_current = 0 WHERE region = $1 AND "
          "year = $2 AND report_type = $3 AND is_current = 1",
          identity);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<SqlRow>> sequence = db.Query(
      "UPDATE report_identities SET version_count = version_count + 1 "
      "WHERE region = $1 AND year = $2 AND report_type = $3 "
      "RETURNING version_count",
      identity);
  if (!sequence.ok()) return sequence.status();
  if (sequence->empty()) {
    return absl::InternalError("report identity row vanished mid-transaction");
  }
  const int64_t commit_seq = sequence->front().Int(0);

  const v1::SegmentedReport& report = extracted.report();
  std::vector<SqlValue> version = key;
  version.insert(
      version.end(),
      {commit_seq, std::string_view(report.report_id()),
       std::string_view(report.source()),
       std::string_view(report.metadata().title()),
       std::string_view(extracted.pattern_pack_version()),
       int64_t{extracted.metrics_size()}, committed_at, identity_id});
  if (absl::Status status = db.Execute(
          "INSERT INTO report_versions (region, year, report_type, "
          "content_hash, commit_seq, is_current, report_id, source, title, "
          "pattern_pack_version, metric_count, committed_at, identity_id) "
          "VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12)",
          version);
      !status.ok()) {
    return status;
  }

  // Each distinct sentence once, numbered in the order it first occurs.
  static const MultiRowInsert* const kInsertSentences = new MultiRowInsert(
      "INSERT INTO version_sentences (identity_id, commit_seq, "
      "sentence_ordinal, sentence)",
      4);
  absl::flat_hash_map<std::string_view, int64_t> sentence_ordinals;
  std::vector<int64_t> metric_sentence(extracted.metrics_size());
  RowWriter sentences(db, *kInsertSentences);
  for (int i = 0; i < extracted.metrics_size(); ++i) {
    const std::string_view sentence = extracted.metrics(i).sentence();
    // Metrics of one sentence come one after another: most are answered by
    // the metric before, without hashing the sentence.
    if (i > 0 && sentence == extracted.metrics(i - 1).sentence()) {
      metric_sentence[i] = metric_sentence[i - 1];
      continue;
    }
    const auto [it, is_new] = sentence_ordinals.try_emplace(
        sentence, int64_t(sentence_ordinals.size()));
    metric_sentence[i] = it->second;
    if (!is_new) continue;
    sentences.values().insert(sentences.values().end(),
                              {identity_id, commit_seq, it->second, sentence});
    if (absl::Status status = sentences.EndRow(); !status.ok()) return status;
  }
  if (absl::Status status = sentences.Flush(); !status.ok()) return status;

  static const MultiRowInsert* const kInsertMetrics = new MultiRowInsert(
      absl::StrCat("INSERT INTO metrics (identity_id, commit_seq, ordinal, ",
                   kMetricInsertColumns, ")"),
      3 + kMetricColumnCount);
  RowWriter metrics(db, *kInsertMetrics);
  for (int i = 0; i < extracted.metrics_size(); ++i) {
    metrics.values().insert(metrics.values().end(),
                            {identity_id, commit_seq, int64_t{i}});
    AppendMetricValues(extracted.metrics(i), metric_sentence[i],
                       &metrics.values());
    if (absl::Status status = metrics.EndRow(); !status.ok()) return status;
  }
  if (absl::Status status = metrics.Flush(); !status.ok()) return status;
  receipt->set_outcome(v1::RECEIPT_OUTCOME_COMMITTED);
  receipt->set_metric_count(extracted.metrics_size());
  return absl::OkStatus();
}

// One attempt at the batch in one transaction; `receipts` holds the
// admission receipts and gets the outcomes.
absl::Status CommitOnce(Database& db,
                        const std::vector<const v1::ExtractedReport*>& reports,
                        std::vector<v1::Receipt>& receipts) {
  // Identities are locked up front and in one order, so two replicas whose
  // batches share identities cannot deadlock.
  std::set<Identity> identities;
  for (const v1::Receipt& receipt : receipts) {
    if (receipt.outcome() != v1::RECEIPT_OUTCOME_REJECTED) {
      identities.insert(IdentityOf(receipt));
    }
  }
  if (identities.empty()) return absl::OkStatus();
  if (absl::Status status = db.Begin(); !status.ok()) return status;
  absl::Status status = CreateMissingIdentities(db, identities);
  std::map<Identity, int64_t> numbers;
  for (auto it = identities.begin(); status.ok() && it != identities.end();
       ++it) {
    absl::StatusOr<int64_t> number = LockIdentity(db, *it);
    status = number.status();
    if (number.ok()) numbers[*it] = *number;
  }
  const int64_t committed_at = absl::ToUnixSeconds(absl::Now());
  for (size_t i = 0; status.ok() && i < reports.size(); ++i) {
    if (receipts[i].outcome() == v1::RECEIPT_OUTCOME_REJECTED) continue;
    status = StoreVersion(db, *reports[i], numbers[IdentityOf(receipts[i])],
                          committed_at, &receipts[i]);
  }
  if (!status.ok()) {
    db.Rollback().IgnoreError();
    return status;
  }
  return db.Commit();
}

}  // namespace

absl::StatusOr<std::vector<v1::Receipt>> SqlStore::Commit(
    const std::vector<const v1::ExtractedReport*>& reports) {
  std::vector<v1::Receipt> admitted;
  admitted.reserve(reports.size());
  for (const v1::ExtractedReport* report : reports) {
    admitted.push_back(Admit(report));
  }
  absl::MutexLock lock(&mu_);
  absl::Status status;
  for (int attempt = 1; attempt <= kCommitAttempts; ++attempt) {
    std::vector<v1::Receipt> receipts = admitted;
    status = CommitOnce(*database_, reports, receipts);
    if (status.ok()) return receipts;
    if (!absl::IsAborted(status)) break;
  }
  return absl::Status(
      status.code(),
      absl::StrCat("could not store a batch of ", reports.size(),
                   " reports (none of it was stored): ", status.message()));
}

absl::StatusOr<std::vector<StoredMetric>> SqlStore::CurrentMetrics(
    const MetricQuery& query) {
  static const std::string* const kSelect = new std::string(absl::StrCat(
      "SELECT v.region, v.year, v.report_type, v.report_id, v.source, "
      "v.content_hash, m.ordinal, ",
      kMetricSelectColumns,
      " FROM report_versions v JOIN metrics m ON "
      "m.identity_id = v.identity_id AND m.commit_seq = v.commit_seq "
      "JOIN version_sentences s ON s.identity_id = m.identity_id AND "
      "s.commit_seq = m.commit_seq AND "
      "s.sentence_ordinal = m.sentence_ordinal "
      "WHERE v.is_current = 1 AND ($1 = '' OR v.region = $1) "
      "AND ($2 = 0 OR v.year >= $2) AND ($3 = 0 OR v.year <= $3) "
      "ORDER BY v.region COLLATE \"C\", v.year, v.report_type, m.ordinal"));
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<SqlRow>> rows = database_->Query(
      *kSelect,
      {query.region, int64_t{query.from_year}, int64_t{query.to_year}});
  if (!rows.ok()) return rows.status();
  std::vector<StoredMetric> metrics;
  metrics.reserve(rows->size());
  for (const SqlRow& row : *rows) {
    StoredMetric& stored = metrics.emplace_back();
    stored.region = row.Text(0);
    stored.report_year = static_cast<int>(row.Int(1));
    stored.report_type = static_cast<v1::ReportType>(row.Int(2));
    stored.report_id = row.Text(3);
    stored.source = row.Text(4);
    stored.content_hash = row.Text(5);
    stored.ordinal = static_cast<int>(row.Int(6));
    stored.metric = ReadMetric(row, 7);
  }
  return metrics;
}

absl::StatusOr<std::vector<v1::StoredReport>> SqlStore::ListReports(
    const std::string& region, bool include_history) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<SqlRow>> rows = database_->Query(
      "SELECT report_id, region, year, report_type, content_hash, "
      "is_current, metric_count, committed_at FROM report_versions "
      "WHERE ($1 = '' OR region = $1) AND (is_current = 1 OR $2 = 1) "
      "ORDER BY region COLLATE \"C\", year, report_type, commit_seq",
      {region, int64_t{include_history ? 1 : 0}});
  if (!rows.ok()) return rows.status();
  std::vector<v1::StoredReport> reports;
  reports.reserve(rows->size());
  for (const SqlRow& row : *rows) {
    v1::StoredReport& report = reports.emplace_back();
    report.set_report_id(row.Text(0));
    report.set_region(row.Text(1));
    report.set_year(static_cast<int32_t>(row.Int(2)));
    report.set_report_type(static_cast<v1::ReportType>(row.Int(3)));
    report.set_content_hash(row.Text(4));
    report.set_current(row.Int(5) == 1);
    report.set_metric_count(static_cast<int32_t>(row.Int(6)));
    report.set_committed_at(row.Int(7));
  }
  return reports;
}

absl::Status SqlStore::Ping() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<SqlRow>> rows = database_->Query("SELECT 1", {});
  return rows.ok() ? absl::OkStatus() : rows.status();
}

}  // namespace reportpipe::aggregator
