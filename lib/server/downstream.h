// The channel from one stage of the chain to the next, and the watcher that
// reports this stage NOT_SERVING while the next cannot be reached.
//
//   auto channel = DownstreamChannel("dns:///extractor-headless:50052", options);
//   DownstreamWatcher watcher(channel, [&runner](bool up) { runner.SetServing(up); });
//
// The target takes gRPC's target syntax. With a dns:/// name that resolves
// to every replica behind a headless Kubernetes Service, round_robin spreads
// the streams over them; servers close connections after a maximum age, so
// a long-lived client re-resolves and reaches replicas added later.
#ifndef REPORTPIPE_LIB_SERVER_DOWNSTREAM_H_
#define REPORTPIPE_LIB_SERVER_DOWNSTREAM_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/server_runner.h"

namespace reportpipe::server {

struct DownstreamOptions {
  // Largest message sent or received.
  int max_message_bytes = 64 << 20;
  // PEM files: a CA turns TLS on; a certificate and key on top present a
  // client certificate (mutual TLS).
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  // Pings on idle connections, so that a dead peer is noticed.
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
};

// A channel to `target` with round_robin, keepalive and the message limits;
// INVALID_ARGUMENT when a TLS file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> DownstreamChannel(
    const std::string& target, const DownstreamOptions& options);

// Asks `probe` every `period`, on a thread of its own, whether what a
// server needs is there (true), is not (false), or cannot say yet (nullopt:
// a channel still connecting), and calls `on_change(up)` when the answer
// changes, once at the start with `initially`. Logs `event`_up and
// `event`_down. The destructor stops it; a probe under way is finished
// first.
class ReadinessWatcher {
 public:
  ReadinessWatcher(std::string event,
                   std::function<std::optional<bool>()> probe,
                   std::function<void(bool up)> on_change, bool initially,
                   absl::Duration period);
  ~ReadinessWatcher();
  ReadinessWatcher(const ReadinessWatcher&) = delete;
  ReadinessWatcher& operator=(const ReadinessWatcher&) = delete;

 private:
  absl::Notification stop_;
  std::thread thread_;
};

// A ReadinessWatcher over a channel's connectivity: up when the next stage
// is reachable (READY), down when it is not (TRANSIENT_FAILURE or
// SHUTDOWN). It starts down: a stage is not ready until its next stage is.
class DownstreamWatcher {
 public:
  DownstreamWatcher(std::shared_ptr<grpc::Channel> channel,
                    std::function<void(bool up)> on_change,
                    absl::Duration period = absl::Milliseconds(500));

 private:
  ReadinessWatcher watcher_;
};

// Runs a server like RunServer, and while it runs reports it NOT_SERVING
// whenever `probe` says what it needs is not there (the aggregator's
// database): readiness only, as the next stage's (liveness stays SERVING).
// It starts as options.start_serving says.
absl::Status RunServerWhileReady(const ServerOptions& options,
                                 const std::vector<NamedService>& services,
                                 StatsRegistry* stats, std::string event,
                                 std::function<std::optional<bool>()> probe,
                                 absl::Duration period);

// Runs a server like RunServer, and while it runs reports it NOT_SERVING
// whenever `downstream` (when not null) cannot be reached.
absl::Status RunChainStage(const ServerOptions& options,
                           const std::vector<NamedService>& services,
                           StatsRegistry* stats,
                           std::shared_ptr<grpc::Channel> downstream);

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_DOWNSTREAM_H_
