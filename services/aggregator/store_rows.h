// How a metric maps to a row of the metrics table and back. The column
// lists live here once, so that what is written and what is read agree.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "reportpipe/v1/metric.pb.h"
#include "services/aggregator/database.h"

namespace reportpipe::aggregator {

// The metric columns written after the key (identity number, commit_seq,
// ordinal), in table order, separated by ", ". The sentence is written once
// per version into version_sentences; a metric row holds its number.
extern const char kMetricInsertColumns[];
constexpr int kMetricColumnCount = 20;

// The same columns read back, with the metrics table as `m` and the
// sentence from version_sentences as `s`: what ReadMetric expects.
extern const char kMetricSelectColumns[];

// Appends the values of kMetricInsertColumns for `metric`: an absent period
// or span is NULLs, the value goes in twice (as a number and as its exact
// bits). Text is borrowed from `metric`, which must outlive the statement.
void AppendMetricValues(const v1::Metric& metric, int64_t sentence_ordinal,
                        std::vector<SqlValue>* row);

// Reads kMetricSelectColumns from `row`, starting at column `first`.
v1::Metric ReadMetric(const SqlRow& row, int first);

// The INSERT statements that write 1 … kRowsPerStatement rows of one table
// at once, built once per table.
class MultiRowInsert {
 public:
  static constexpr int kRowsPerStatement = 16;

  // `head` is "INSERT INTO table (a, b, …)", naming `width` columns.
  MultiRowInsert(std::string_view head, int width);
  int width() const { return width_; }
  // The statement for `rows` rows, 1 ≤ rows ≤ kRowsPerStatement.
  const std::string& sql(int rows) const { return sql_[rows]; }

 private:
  int width_;
  std::vector<std::string> sql_;
};

// Writes rows kRowsPerStatement at a time: one statement, and on PostgreSQL
// one round trip, per chunk instead of per row. Append a row's values to
// values(), then call EndRow(); Flush() writes the rest.
class RowWriter {
 public:
  RowWriter(Database& db, const MultiRowInsert& insert);
  std::vector<SqlValue>& values() { return values_; }
  absl::Status EndRow();
  absl::Status Flush();

 private:
  Database& db_;
  const MultiRowInsert& insert_;
  std::vector<SqlValue> values_;
  int rows_ = 0;
};

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_
