// Runs a gRPC server the way every reportpipe server runs: health and
// reflection on, the Stats service registered, message limits and keepalive
// set, optional (mutual) TLS, and a drain on SIGTERM or SIGINT.
//
//   ServerRunner runner(options);
//   absl::Status started = runner.Start(
//       {{v1::Segmenter::service_full_name(), &segmenter}}, &stats);
//   if (!started.ok()) return 1;
//   runner.Wait();   // returns once drained after SIGTERM
//
// RunServer() does those three steps for a server with nothing else to do.
#ifndef REPORTPIPE_LIB_SERVER_SERVER_RUNNER_H_
#define REPORTPIPE_LIB_SERVER_SERVER_RUNNER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/stats.h"

namespace reportpipe::server {

// The health name a liveness probe asks for: SERVING while the process
// answers at all. Readiness ("" or the service's name) also follows the next
// stage of the chain; liveness must not, or an outage downstream would have
// Kubernetes restart every healthy stage above it.
inline constexpr char kLivenessService[] = "liveness";

struct ServerOptions {
  // For logs, health and stats: segmenter, extractor, aggregator.
  std::string service_name;
  // host:port; port 0 takes any free port (see port_file).
  std::string listen_address;
  // Largest message sent or received, both ways.
  int max_message_bytes = 64 << 20;
  // PEM files. Cert and key together turn TLS on; a client CA on top makes it
  // mutual: clients must present a certificate the CA signed.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // How long calls in flight may run on after SIGTERM before they are
  // cancelled.
  absl::Duration grace = absl::Seconds(10);
  // Whether health answers SERVING from the start; a stage of the chain
  // starts false and turns SERVING once its next stage is reachable.
  bool start_serving = true;
  // When set, the bound port is written here (atomically) once the server
  // accepts calls, so that a caller who asked for port 0 can find it.
  std::string port_file;
  // Pings on an idle connection find dead peers behind NATs and balancers.
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Connections are closed after this age (plus a grace for the calls on
  // them), so that long-lived clients re-resolve and reach replicas added by
  // a scale-out instead of staying on the old ones forever.
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration max_connection_age_grace = absl::Minutes(1);
};

// A service to register, with its full name for the health service
// (v1::Segmenter::service_full_name()).
struct NamedService {
  std::string name;
  grpc::Service* service;
};

class ServerRunner {
 public:
  explicit ServerRunner(ServerOptions options);
  ~ServerRunner();
  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Builds and starts the server with `services`, plus Stats over `stats`
  // when it is not null (it must outlive the runner). Every service starts
  // SERVING unless options.start_serving is false. Takes over SIGTERM and
  // SIGINT for Wait(); one runner a process.
  absl::Status Start(const std::vector<NamedService>& services,
                     StatsRegistry* stats);

  // The bound port, after Start.
  int port() const { return port_; }

  // Health as clients see it: the named service, or all of them and the
  // server as a whole. For a server whose downstream is down.
  void SetServing(const std::string& service, bool serving);
  void SetServing(bool serving);

  // Blocks until SIGTERM, SIGINT or Stop(), then stops accepting calls,
  // reports NOT_SERVING and lets calls in flight finish within the grace.
  void Wait();

  // Makes Wait() return as if signalled. Async-signal-safe.
  void Stop();

 private:
  ServerOptions options_;
  int port_ = 0;
  int wake_pipe_[2] = {-1, -1};
  std::vector<std::string> service_names_;
  std::unique_ptr<StatsService> stats_service_;
  // Wait() resets the server while a watcher's thread may still be setting
  // its health (SetServing): the reset and every SetServing take turns.
  absl::Mutex health_mu_;
  std::unique_ptr<grpc::Server> server_;
};

// Start, then Wait: returns OK after a clean drain.
absl::Status RunServer(const ServerOptions& options,
                       const std::vector<NamedService>& services,
                       StatsRegistry* stats);

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_SERVER_RUNNER_H_
