// Durable storage of extracted reports, behind one interface with two
// backends: SQLite (a file; the default) and PostgreSQL (through libpq, so
// that several aggregator replicas share one store). Both run the same
// versioned migrations and the same SQL, with bound parameters only.
//
//   absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("/var/lib/reportpipe/store.db");
//   absl::StatusOr<std::vector<v1::Receipt>> receipts = (*store)->Commit({&report});
//
// A report's identity is (region, year, report type); its version is the
// hash of its text (SegmentedReport.content_hash). Storing a version that is
// stored already changes nothing (DUPLICATE); a new version of an identity
// becomes current and the earlier one stays in the history.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reportpipe/v1/aggregator.pb.h"
#include "reportpipe/v1/metric.pb.h"
#include "reportpipe/v1/receipt.pb.h"

namespace reportpipe::aggregator {

// A stored metric with the report version it came from.
struct StoredMetric {
  // The metric as extracted: indicator, canonical id, value, unit, kind,
  // period, section, sentence and spans.
  v1::Metric metric;
  // The identity of its report.
  std::string region;
  int report_year = 0;
  v1::ReportType report_type = v1::REPORT_TYPE_UNSPECIFIED;
  // Report.id, Report.source and the content version of its report.
  std::string report_id;
  std::string source;
  std::string content_hash;
  // Its position among the report's metrics (document order).
  int ordinal = 0;
};

// Which current metrics to load. Empty or zero fields select everything.
struct MetricQuery {
  std::string region;
  int from_year = 0;  // report years, inclusive
  int to_year = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores a batch of reports in one transaction and answers with one
  // receipt per report, in order, once the transaction is durable:
  // COMMITTED (new, or a new version), DUPLICATE (that version is stored
  // already; nothing changes, also when an older version is sent again), or
  // REJECTED with a status a person understands (no region or year; a
  // look-alike that is no annual report on law-based government). A report
  // rejected does not stop the others. An error (the database is
  // unreachable) means nothing of the batch was stored.
  virtual absl::StatusOr<std::vector<v1::Receipt>> Commit(
      const std::vector<const v1::ExtractedReport*>& reports) = 0;

  // The metrics of the current version of every report the query selects,
  // ordered by region, report year, report type and ordinal.
  virtual absl::StatusOr<std::vector<StoredMetric>> CurrentMetrics(
      const MetricQuery& query) = 0;

  // The stored report versions, ordered by region, year, report type and
  // commit order; superseded versions only with `include_history`.
  virtual absl::StatusOr<std::vector<v1::StoredReport>> ListReports(
      const std::string& region, bool include_history) = 0;

  // Whether the database answers now: one trivial query, on a connection
  // made again first if it was lost. For the server's readiness.
  virtual absl::Status Ping() = 0;
};

// Opens (and migrates) a store. `url` is a PostgreSQL connection URL
// (postgresql://… or postgres://…, or a libpq key=value string starting
// with "host="), or else a SQLite file path (an optional sqlite:// prefix is
// dropped), created when missing.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_H_
