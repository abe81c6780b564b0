// Comparisons over stored metrics: year-over-year rows, one indicator across
// regions, and the checks of reports against each other and themselves.
// Plain functions over StoredMetric lists, so that both store backends, the
// gRPC service and the tests share one behaviour.
//
//   std::vector<StoredMetric> metrics = store->CurrentMetrics({}).value();
//   v1::CompareResponse rows = Compare(metrics, request, directions);
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_COMPARISON_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_COMPARISON_H_

#include <map>
#include <string>
#include <vector>

#include "reportpipe/config/v1/pack.pb.h"
#include "reportpipe/v1/aggregator.pb.h"
#include "reportpipe/v1/comparison.pb.h"
#include "services/aggregator/store.h"

namespace reportpipe::aggregator {

// Which direction counts as better for each canonical id, from the catalog.
class Directions {
 public:
  Directions() = default;
  explicit Directions(const config::v1::Catalog& catalog);
  v1::Better For(const std::string& canonical_id) const;

 private:
  std::map<std::string, v1::Better> better_;
};

// The key indicators meet by across reports: the canonical id, or else the
// label folded to one form (with the topic for a bare rate, so that 化解率
// of two different topics stay apart).
std::string IndicatorKey(const v1::Metric& metric);

// One row per (region, indicator, year) with the previous year, the change,
// the report's own claims about it and the values implied by claims. A
// figure a later report gives for an earlier year fills that year when no
// report of that year has it; cumulative figures and targets never enter a
// year's row; differing values for one row are all kept (alternatives).
v1::CompareResponse Compare(const std::vector<StoredMetric>& metrics,
                            const v1::CompareRequest& request,
                            const Directions& directions);

// One indicator in one year across regions, best first by the catalog's
// direction (ranked only when the catalog names one).
v1::CompareRegionsResponse CompareRegions(
    const std::vector<StoredMetric>& metrics,
    const v1::CompareRegionsRequest& request, const Directions& directions);

// Within one report: each stated rate checked against the ratio of the two
// counts right before it in its sentence (化解成功19件 of 委托化解案件37件 →
// 51.35%), where the rate's own word names the later count (化解率 ↔ 化解成功).
std::vector<v1::RatioCheck> CheckRatios(const std::vector<StoredMetric>& report);

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_COMPARISON_H_
