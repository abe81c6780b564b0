// Loads the textproto configuration under config/: pattern packs and the
// indicator catalog. Used by the extractor (patterns) and the aggregator
// (which direction of an indicator is better).
//
//   absl::StatusOr<ExtractorConfig> config = LoadExtractorConfig(ConfigDir());
#ifndef REPORTPIPE_LIB_CONFIG_CONFIG_LOADER_H_
#define REPORTPIPE_LIB_CONFIG_CONFIG_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "reportpipe/config/v1/pack.pb.h"

namespace reportpipe::config {

// The configuration directory: $REPORTPIPE_CONFIG_DIR when set, else the
// repository's config/ (the build records where that is).
std::string ConfigDir();

// Parses a textproto file into `message`; INVALID_ARGUMENT names the file,
// line and column of a syntax error, NOT_FOUND a missing file.
absl::Status LoadTextProto(const std::string& path,
                           google::protobuf::Message* message);

// A pattern pack and the catalog it labels with.
struct ExtractorConfig {
  v1::PatternPack pack;
  v1::Catalog catalog;
};

// Loads packs/<pack_name>.textproto and catalog/indicators.textproto from
// `dir`.
absl::StatusOr<ExtractorConfig> LoadExtractorConfig(
    const std::string& dir, const std::string& pack_name = "law_based_government");

}  // namespace reportpipe::config

#endif  // REPORTPIPE_LIB_CONFIG_CONFIG_LOADER_H_
