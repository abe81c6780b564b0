// aggregator_server: reportpipe.v1.Aggregator on --listen (default port 50053).
// Only wiring: the flags go to the store, the ingest queue, the service and
// the shared server runner.
#include <memory>
#include <optional>
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
#include "services/aggregator/aggregator_service.h"
#include "services/aggregator/comparison.h"
#include "services/aggregator/ingest_queue.h"
#include "services/aggregator/store.h"

ABSL_FLAG(std::string, store, "reportpipe-store.db",
          "Where reports are stored: a SQLite file path (the default), or a "
          "PostgreSQL URL (postgresql://…) shared by several replicas.");
ABSL_FLAG(std::string, config_dir, "",
          "Directory of catalog/ (default: $REPORTPIPE_CONFIG_DIR or the "
          "repository's config/): which direction of each indicator is better.");
ABSL_FLAG(int32_t, max_batch, 256, "Most reports committed in one transaction.");

namespace {

constexpr int kDefaultPort = 50053;

}  // namespace

int main(int argc, char** argv) {
  namespace server = reportpipe::server;
  namespace aggregator = reportpipe::aggregator;
  namespace config = reportpipe::config;
  absl::SetProgramUsageMessage(
      "aggregator_server [--listen=HOST:PORT] [--store=PATH|URL] [--flags]: "
      "serves reportpipe.v1.Aggregator");
  absl::ParseCommandLine(argc, argv);

  auto fail = [](const char* event, const absl::Status& status) {
    server::LogEvent(server::Severity::kError, event,
                     {{"service", "aggregator"}, {"error", std::string(status.message())}});
    return 1;
  };
  absl::StatusOr<server::ServerOptions> options =
      server::ServerOptionsFromFlags("aggregator", kDefaultPort);
  if (!options.ok()) return fail("bad_flags", options.status());
  if (absl::GetFlag(FLAGS_max_batch) <= 0) {
    return fail("bad_flags", absl::InvalidArgumentError("--max_batch must be positive"));
  }
  std::string dir = absl::GetFlag(FLAGS_config_dir);
  if (dir.empty()) dir = config::ConfigDir();
  config::v1::Catalog catalog;
  const absl::Status loaded = config::LoadTextProto(dir + "/catalog/indicators.textproto", &catalog);
  if (!loaded.ok()) return fail("bad_config", loaded);

  // Two connections: the ingest queue's writer, and one for queries, so
  // that a query never sees a transaction in progress.
  const std::string url = absl::GetFlag(FLAGS_store);
  absl::StatusOr<std::unique_ptr<aggregator::Store>> writer = aggregator::OpenStore(url);
  if (!writer.ok()) return fail("store_unavailable", writer.status());
  absl::StatusOr<std::unique_ptr<aggregator::Store>> reader = aggregator::OpenStore(url);
  if (!reader.ok()) return fail("store_unavailable", reader.status());

  server::StatsRegistry stats("aggregator");
  absl::Status status;
  {
    aggregator::IngestQueue queue(writer->get(), absl::GetFlag(FLAGS_max_batch));
    aggregator::AggregatorService service(&queue, reader->get(), aggregator::Directions(catalog),
                                          &stats);
    // Ready while the database answers: a replica whose database is gone
    // leaves the Service's endpoints until it is back (liveness stays on, so
    // it is not restarted for an outage it cannot mend).
    aggregator::Store* store = reader->get();
    status = server::RunServerWhileReady(
        *options, {{reportpipe::v1::Aggregator::service_full_name(), &service}},
        &stats, "store",
        [store]() -> std::optional<bool> { return store->Ping().ok(); },
        absl::Seconds(1));
    // The queue commits what is left before it goes: a report accepted
    // during the drain is stored before the process exits.
  }
  if (!status.ok()) return fail("server_failed", status);
  return 0;
}
