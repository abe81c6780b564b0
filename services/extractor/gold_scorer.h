// Scores extracted metrics against a gold file, by the rules of
// ../shared/corpus/README.md: a metric finds a gold row when value (within
// 1e-6) and unit are equal and its span overlaps the row's anchor; every
// metric that finds no row is a false positive; recall counts the required
// rows found; a found row is labelled right when its key is inside the
// metric's indicator.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_GOLD_SCORER_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_GOLD_SCORER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reportpipe/v1/metric.pb.h"

namespace reportpipe::extractor {

// One row of a gold file.
struct GoldRow {
  std::string id;
  std::string anchor;
  size_t start = 0;
  size_t end = 0;
  std::string key;
  double value = 0;
  std::string unit;
  bool optional = false;
};

// Reads a gold JSONL file.
absl::StatusOr<std::vector<GoldRow>> LoadGold(const std::string& path);

struct GoldScore {
  int required = 0;
  int found = 0;
  int false_positives = 0;
  int label_ok = 0;
  double precision = 0;
  double recall = 0;
  double label_accuracy = 0;
  // One line each, for a failing test's message.
  std::vector<std::string> problems;
};

GoldScore ScoreAgainstGold(const std::vector<GoldRow>& gold,
                           const google::protobuf::RepeatedPtrField<v1::Metric>& metrics);

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_GOLD_SCORER_H_
