#include "lib/config/config_loader.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace reportpipe::config {
namespace {

// Keeps the first parse error with its position, for a message a person
// can act on.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (error_.empty()) {
      error_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                            message);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

std::string ConfigDir() {
  if (const char* env = std::getenv("REPORTPIPE_CONFIG_DIR"); env && *env) {
    return env;
  }
  return REPORTPIPE_SOURCE_DIR "/config";
}

absl::Status LoadTextProto(const std::string& path,
                           google::protobuf::Message* message) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text.str(), message)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", errors.error()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ExtractorConfig> LoadExtractorConfig(
    const std::string& dir, const std::string& pack_name) {
  ExtractorConfig config;
  absl::Status status = LoadTextProto(
      absl::StrCat(dir, "/packs/", pack_name, ".textproto"), &config.pack);
  if (!status.ok()) return status;
  status = LoadTextProto(absl::StrCat(dir, "/catalog/indicators.textproto"),
                         &config.catalog);
  if (!status.ok()) return status;
  return config;
}

}  // namespace reportpipe::config
