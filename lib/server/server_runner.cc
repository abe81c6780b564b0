#include "lib/server/server_runner.h"

#include "lib/server/downstream.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "lib/server/log.h"

namespace reportpipe::server {
namespace {

// The write end of the running ServerRunner's wake pipe. The handler only
// writes the signal number there: everything else happens in Wait(), outside
// signal context.
std::atomic<int> g_wake_fd{-1};
static_assert(std::atomic<int>::is_always_lock_free,
              "the signal handler needs a lock-free atomic");

struct sigaction g_old_term;
struct sigaction g_old_int;

extern "C" void OnShutdownSignal(int signo) {
  const int saved_errno = errno;
  const int fd = g_wake_fd.load();
  if (fd >= 0) {
    const unsigned char byte = static_cast<unsigned char>(signo);
    // Non-blocking: if the pipe is full, a wake-up is pending already.
    [[maybe_unused]] ssize_t ignored = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

absl::StatusOr<std::string> ReadPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in || content.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read PEM file ", path));
  }
  return content.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerOptions& options) {
  const bool has_cert = !options.tls_cert_file.empty();
  const bool has_key = !options.tls_key_file.empty();
  const bool has_ca = !options.tls_client_ca_file.empty();
  if (!has_cert && !has_key && !has_ca) {
    return grpc::InsecureServerCredentials();
  }
  if (!has_cert || !has_key) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls_cert and --tls_key (and --tls_client_ca only "
        "with them)");
  }
  absl::StatusOr<std::string> cert = ReadPemFile(options.tls_cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPemFile(options.tls_key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl(
      has_ca ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
             : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (has_ca) {
    absl::StatusOr<std::string> ca = ReadPemFile(options.tls_client_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  ssl.pem_key_cert_pairs.push_back({*std::move(key), *std::move(cert)});
  return grpc::SslServerCredentials(ssl);
}

// Written beside the target and renamed, so a reader never sees half a port.
absl::Status WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) {
      return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp));
  }
  return absl::OkStatus();
}

int Millis(absl::Duration d) {
  return static_cast<int>(absl::ToInt64Milliseconds(d));
}

const char* SignalName(int signo) {
  switch (signo) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    default:
      return "none";  // Stop() was called.
  }
}

const char* TlsMode(const ServerOptions& options) {
  if (options.tls_cert_file.empty()) return "off";
  return options.tls_client_ca_file.empty() ? "server" : "mutual";
}

}  // namespace

ServerRunner::ServerRunner(ServerOptions options)
    : options_(std::move(options)) {}

ServerRunner::~ServerRunner() {
  if (server_ != nullptr) {
    server_->Shutdown(absl::ToChronoTime(absl::Now()));
    server_->Wait();
  }
  if (wake_pipe_[1] >= 0) {
    int expected = wake_pipe_[1];
    if (g_wake_fd.compare_exchange_strong(expected, -1)) {
      sigaction(SIGTERM, &g_old_term, nullptr);
      sigaction(SIGINT, &g_old_int, nullptr);
    }
    close(wake_pipe_[0]);
    close(wake_pipe_[1]);
  }
}

absl::Status ServerRunner::Start(const std::vector<NamedService>& services,
                                 StatsRegistry* stats) {
  if (server_ != nullptr || wake_pipe_[0] >= 0) {
    return absl::FailedPreconditionError("ServerRunner started twice");
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeCredentials(options_);
  if (!credentials.ok()) return credentials.status();

  // The signals are taken before the server exists so that a SIGTERM during
  // start-up still leads to a clean drain.
  if (pipe2(wake_pipe_, O_CLOEXEC) != 0 ||
      fcntl(wake_pipe_[1], F_SETFL, O_NONBLOCK) != 0) {
    return absl::InternalError("cannot create the wake pipe");
  }
  int no_runner = -1;
  if (!g_wake_fd.compare_exchange_strong(no_runner, wake_pipe_[1])) {
    return absl::FailedPreconditionError("another ServerRunner is running");
  }
  struct sigaction action = {};
  action.sa_handler = OnShutdownSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, &g_old_term);
  sigaction(SIGINT, &action, &g_old_int);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, *credentials, &port_);
  // gRPC binds with SO_REUSEPORT by default: a second server started on the
  // same port by mistake would silently share it instead of failing.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             Millis(options_.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Millis(options_.keepalive_timeout));
  // Clients of a chain keep idle channels open with their own pings; without
  // these the server would answer them with GOAWAY too_many_pings.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             Millis(options_.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Millis(options_.max_connection_age_grace));
  if (stats != nullptr) {
    stats_service_ = std::make_unique<StatsService>(stats);
    builder.RegisterService(stats_service_.get());
    service_names_.push_back(v1::Stats::service_full_name());
  }
  for (const NamedService& named : services) {
    builder.RegisterService(named.service);
    service_names_.push_back(named.name);
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen_address));
  }
  // A chain stage starts NOT_SERVING and waits for its next stage: a probe
  // must never see it ready before it could pass a report on.
  for (const std::string& name : service_names_) SetServing(name, options_.start_serving);
  SetServing(options_.start_serving);  // also turns kLivenessService on
  if (!options_.port_file.empty()) {
    absl::Status written = WritePortFile(options_.port_file, port_);
    if (!written.ok()) return written;
  }
  LogEvent("server_started", {{"service", options_.service_name},
                              {"address", options_.listen_address},
                              {"port", port_},
                              {"tls", TlsMode(options_)}});
  return absl::OkStatus();
}

void ServerRunner::SetServing(const std::string& service, bool serving) {
  absl::MutexLock lock(&health_mu_);
  if (server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(service, serving);
}

void ServerRunner::SetServing(bool serving) {
  absl::MutexLock lock(&health_mu_);
  if (server_ == nullptr) return;
  // This sets every name, liveness too; liveness says only that the process
  // answers, so it is set back at once.
  server_->GetHealthCheckService()->SetServingStatus(serving);
  server_->GetHealthCheckService()->SetServingStatus(kLivenessService, true);
}

void ServerRunner::Stop() {
  if (wake_pipe_[1] < 0) return;
  const unsigned char byte = 0;
  [[maybe_unused]] ssize_t ignored = ::write(wake_pipe_[1], &byte, 1);
}

void ServerRunner::Wait() {
  if (server_ == nullptr) return;
  unsigned char signo = 0;
  while (::read(wake_pipe_[0], &signo, 1) < 0 && errno == EINTR) {
  }
  LogEvent("server_draining",
           {{"service", options_.service_name},
            {"signal", SignalName(signo)},
            {"grace_ms", absl::ToInt64Milliseconds(options_.grace)}});
  // NOT_SERVING first, so health-checking balancers move traffic away while
  // the calls in flight finish.
  {
    // After this, SetServing changes nothing (gRPC ignores it).
    absl::MutexLock lock(&health_mu_);
    server_->GetHealthCheckService()->Shutdown();
  }
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.grace));
  server_->Wait();
  absl::MutexLock lock(&health_mu_);
  server_.reset();
  LogEvent("server_stopped", {{"service", options_.service_name}});
}

absl::Status RunServer(const ServerOptions& options,
                       const std::vector<NamedService>& services,
                       StatsRegistry* stats) {
  return RunChainStage(options, services, stats, /*downstream=*/nullptr);
}

}  // namespace reportpipe::server
