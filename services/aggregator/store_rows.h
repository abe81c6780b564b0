// How a metric maps to a row of the metrics table and back. The column
// lists live here once, so that what is written and what is read agree.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_

#include <string>
#include <vector>

#include "reportpipe/v1/metric.pb.h"
#include "services/aggregator/database.h"

namespace reportpipe::aggregator {

// The metric columns after the identity, content hash and ordinal, in
// table order, separated by ", ".
extern const char kMetricColumns[];
constexpr int kMetricColumnCount = 20;

// The values of kMetricColumns for `metric`: an absent period or span is
// NULLs, the value goes in twice (as a number and as its exact bits).
std::vector<SqlValue> MetricValues(const v1::Metric& metric);

// Reads kMetricColumns from `row`, starting at column `first`.
v1::Metric ReadMetric(const SqlRow& row, int first);

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_ROWS_H_
