// segmenter_server: reportpipe.v1.Segmenter on --listen (default port 50051).
// Only wiring: the flags go to SegmenterService and the shared server runner.
#include <cstdint>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "lib/server/downstream.h"
#include "lib/server/log.h"
#include "lib/server/server_flags.h"
#include "lib/server/server_runner.h"
#include "lib/server/stats.h"
#include "services/segmenter/segmenter_service.h"

ABSL_FLAG(std::string, extractor, "",
          "The extractor to pass reports on to in SubmitReports, in gRPC "
          "target syntax (dns:///extractor-headless:50052). Empty: this "
          "server answers single-stage calls only.");
ABSL_FLAG(int64_t, max_report_bytes, 16 << 20,
          "Reports larger than this are refused with RESOURCE_EXHAUSTED.");
ABSL_FLAG(int64_t, max_reports_per_stream, 100000,
          "The most reports one SubmitReports stream may carry: the stream "
          "then ends RESOURCE_EXHAUSTED after the receipts of the first ones, "
          "and the caller sends the rest on a new stream. 0: no limit.");

namespace {

constexpr int kDefaultPort = 50051;

}  // namespace

int main(int argc, char** argv) {
  namespace server = reportpipe::server;
  absl::SetProgramUsageMessage(
      "segmenter_server [--listen=HOST:PORT] [--flags]: serves "
      "reportpipe.v1.Segmenter");
  absl::ParseCommandLine(argc, argv);

  absl::StatusOr<server::ServerOptions> options =
      server::ServerOptionsFromFlags("segmenter", kDefaultPort);
  const int64_t max_report_bytes = absl::GetFlag(FLAGS_max_report_bytes);
  if (options.ok() && max_report_bytes <= 0) {
    options = absl::InvalidArgumentError("--max_report_bytes must be positive");
  }
  const int64_t max_reports_per_stream = absl::GetFlag(FLAGS_max_reports_per_stream);
  if (options.ok() && max_reports_per_stream < 0) {
    options = absl::InvalidArgumentError("--max_reports_per_stream must not be negative");
  }
  if (!options.ok()) {
    server::LogEvent(server::Severity::kError, "bad_flags",
                     {{"error", std::string(options.status().message())}});
    return 2;
  }

  reportpipe::segmenter::SegmenterOptions segmenter_options;
  segmenter_options.max_report_bytes = static_cast<size_t>(max_report_bytes);
  std::shared_ptr<grpc::Channel> extractor;
  if (const std::string target = absl::GetFlag(FLAGS_extractor); !target.empty()) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        server::DownstreamChannel(target, server::DownstreamOptionsFromFlags());
    if (!channel.ok()) {
      server::LogEvent(server::Severity::kError, "bad_flags",
                       {{"error", std::string(channel.status().message())}});
      return 2;
    }
    extractor = *channel;
  }
  server::StatsRegistry stats("segmenter");
  reportpipe::segmenter::SubmitLimits limits;
  limits.max_message_bytes = options->max_message_bytes;
  limits.max_reports_per_stream = max_reports_per_stream;
  reportpipe::segmenter::SegmenterService service(segmenter_options, &stats, extractor, limits);
  const absl::Status status = server::RunChainStage(
      *options, {{reportpipe::v1::Segmenter::service_full_name(), &service}},
      &stats, extractor);
  if (!status.ok()) {
    server::LogEvent(
        server::Severity::kError, "server_failed",
        {{"service", "segmenter"}, {"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
