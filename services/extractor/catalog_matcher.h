// Gives a metric its canonical id: the catalog entry whose terms its label
// matches, with the topic (the counts a bare rate follows) deciding between
// entries that share a word (化解率 of administrative disputes vs of civil
// disputes).
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_CATALOG_MATCHER_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_CATALOG_MATCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "reportpipe/config/v1/pack.pb.h"

namespace reportpipe::extractor {

class CatalogMatcher {
 public:
  // Compiles every entry's terms; INVALID_ARGUMENT names a bad pattern.
  static absl::StatusOr<std::unique_ptr<CatalogMatcher>> Create(
      const config::v1::Catalog& catalog);

  // The id of the best entry for a label, its topic and unit, or "".
  // Best: the longest matching term; an entry that needs a topic must find
  // it in the label or topic; an entry's units, when listed, must include
  // the unit.
  std::string Match(std::string_view label, std::string_view topic,
                    std::string_view unit) const;

 private:
  struct Entry {
    std::string id;
    std::unique_ptr<RE2> terms;
    std::unique_ptr<RE2> topic;    // null: none needed
    std::unique_ptr<RE2> exclude;  // null: none
    std::vector<std::string> units;
  };
  std::string MatchUncached(std::string_view label, std::string_view topic,
                            std::string_view unit) const;

  std::unique_ptr<RE2::Set> set_;
  std::vector<Entry> entries_;
  // Tells this matcher's entries apart in the per-thread answer cache.
  uint64_t generation_ = 0;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_CATALOG_MATCHER_H_
