// How a metric maps to a row of the metrics table and back. The column
// lists live here once, so that what is written and what is read agree.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_

#include <cstdint>
#include <string>
#include <vector>

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

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_
