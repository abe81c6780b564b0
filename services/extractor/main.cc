// extractor_server: reportpipe.v1.Extractor on --listen (default port 50052).
// Only wiring: the flags go to the config loader, ExtractorService and the
// shared server runner.
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "lib/config/config_loader.h"
#include "lib/server/downstream.h"
#include "lib/server/log.h"
#include "lib/server/server_flags.h"
#include "lib/server/server_runner.h"
#include "lib/server/stats.h"
#include "services/extractor/extractor.h"
#include "services/extractor/extractor_service.h"

ABSL_FLAG(std::string, config_dir, "",
          "Directory of packs/ and catalog/ (default: $REPORTPIPE_CONFIG_DIR "
          "or the repository's config/).");
ABSL_FLAG(std::string, aggregator, "",
          "The aggregator to pass reports on to in SubmitSegmentedReports, in "
          "gRPC target syntax (dns:///aggregator-headless:50053). Empty: this "
          "server answers single-stage calls only.");
ABSL_FLAG(std::string, pack, "law_based_government",
          "The pattern pack to load from packs/.");

namespace {

constexpr int kDefaultPort = 50052;

}  // namespace

int main(int argc, char** argv) {
  namespace server = reportpipe::server;
  namespace config = reportpipe::config;
  absl::SetProgramUsageMessage(
      "extractor_server [--listen=HOST:PORT] [--flags]: serves "
      "reportpipe.v1.Extractor");
  absl::ParseCommandLine(argc, argv);

  auto fail = [](const char* event, const absl::Status& status) {
    server::LogEvent(
        server::Severity::kError, event,
        {{"service", "extractor"}, {"error", std::string(status.message())}});
    return 1;
  };
  absl::StatusOr<server::ServerOptions> options =
      server::ServerOptionsFromFlags("extractor", kDefaultPort);
  if (!options.ok()) return fail("bad_flags", options.status());
  std::string dir = absl::GetFlag(FLAGS_config_dir);
  if (dir.empty()) dir = config::ConfigDir();
  absl::StatusOr<config::ExtractorConfig> loaded =
      config::LoadExtractorConfig(dir, absl::GetFlag(FLAGS_pack));
  if (!loaded.ok()) return fail("bad_config", loaded.status());
  absl::StatusOr<std::unique_ptr<reportpipe::extractor::Extractor>> extractor =
      reportpipe::extractor::Extractor::Create(*loaded);
  if (!extractor.ok()) return fail("bad_config", extractor.status());

  std::shared_ptr<grpc::Channel> aggregator;
  if (const std::string target = absl::GetFlag(FLAGS_aggregator);
      !target.empty()) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        server::DownstreamChannel(target, server::DownstreamOptionsFromFlags());
    if (!channel.ok()) return fail("bad_flags", channel.status());
    aggregator = *channel;
  }
  server::StatsRegistry stats("extractor");
  reportpipe::extractor::ExtractorService service(
      extractor->get(), &stats, aggregator, options->max_message_bytes);
  const absl::Status status = server::RunChainStage(
      *options, {{reportpipe::v1::Extractor::service_full_name(), &service}},
      &stats, aggregator);
  if (!status.ok()) return fail("server_failed", status);
  return 0;
}
