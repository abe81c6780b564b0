// libFuzzer target: any bytes as a pattern pack (and, after a NUL byte, a
// catalog) in textproto. A pack that parses either compiles or is refused
// with a status; one that compiles runs its own examples and a few report
// sentences. Nothing crashes, hangs or leaks.
//
// Input: PACK_TEXT [ '\0' CATALOG_TEXT ]. Without a NUL the shipped catalog
// is used, so most inputs exercise the pack, which is what people edit.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "lib/config/config_loader.h"
#include "services/extractor/examples.h"
#include "services/extractor/extractor.h"

namespace {

const reportpipe::config::ExtractorConfig& ShippedConfig() {
  static const reportpipe::config::ExtractorConfig* config = [] {
    auto loaded = reportpipe::config::LoadExtractorConfig(reportpipe::config::ConfigDir());
    if (!loaded.ok()) {
      std::fprintf(stderr, "pack_fuzzer: cannot load config/: %s\n",
                   std::string(loaded.status().message()).c_str());
      std::abort();
    }
    return new reportpipe::config::ExtractorConfig(*std::move(loaded));
  }();
  return *config;
}

// Without a collector the parser logs every syntax error, and mutated
// inputs would drown libFuzzer's own output.
class SilentErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int /*line*/, int /*column*/, const std::string& /*message*/) override {}
};

// Parses as config::LoadTextProto does, from memory instead of a file.
bool Parse(std::string_view text, google::protobuf::Message* message) {
  SilentErrors errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  return parser.Parse(&input, message);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Mutated messages make protobuf log every invalid UTF-8 string it parses;
  // the refusal itself is what is tested, the log lines only bury libFuzzer's.
  google::protobuf::SetLogHandler(nullptr);
  ShippedConfig();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  reportpipe::config::ExtractorConfig config;
  if (!Parse(input.substr(0, nul), &config.pack)) return 0;
  if (nul == std::string_view::npos) {
    config.catalog = ShippedConfig().catalog;
  } else if (!Parse(input.substr(nul + 1), &config.catalog)) {
    return 0;
  }
  auto extractor = reportpipe::extractor::Extractor::Create(config);
  if (!extractor.ok()) return 0;
  reportpipe::extractor::CheckExamples(**extractor, config);
  for (const char* sentence : {
           "办理人大代表建议39件、政协委员提案52件，办复率100%。",
           "全年行政诉讼案件败诉率为21.6%，较上年下降3.2个百分点。",
           "由上年的12件增加到15件，新增行政复议案件7件。",
       }) {
    (*extractor)->ExtractSentence(sentence, false, 2023);
    (*extractor)->ExtractSentence(sentence, true, 2023);
  }
  return 0;
}
