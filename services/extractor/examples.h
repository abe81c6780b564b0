// Runs the example sentences of a pattern pack and its catalog through the
// extractor and reports every difference from the metrics they list.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_EXAMPLES_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_EXAMPLES_H_

#include <string>
#include <vector>

#include "lib/config/config_loader.h"
#include "services/extractor/extractor.h"

namespace reportpipe::extractor {

// One example that did not give what it lists.
struct ExampleFailure {
  // Where the example is: "pack" or the indicator id.
  std::string owner;
  // The sentence.
  std::string text;
  // What differed, for a person to read.
  std::string problem;
};

// How many examples ran, and which failed.
struct ExampleReport {
  int examples = 0;
  std::vector<ExampleFailure> failures;
};

// Checks every example: the metrics found must be exactly those listed, in
// order, each with the value, unit, qualifier, kind and direction listed and
// an indicator containing the word listed (and the canonical id, where one
// is listed; for a catalog entry's own examples a metric whose word is the
// entry's must carry its id).
ExampleReport CheckExamples(const Extractor& extractor,
                            const config::ExtractorConfig& config);

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_EXAMPLES_H_
