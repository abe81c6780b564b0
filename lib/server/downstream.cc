#include "lib/server/downstream.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lib/server/log.h"

namespace reportpipe::server {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> DownstreamChannel(
    const std::string& target, const DownstreamOptions& options) {
  grpc::ChannelArguments args;
  args.SetLoadBalancingPolicyName("round_robin");
  args.SetMaxSendMessageSize(options.max_message_bytes);
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
              static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_time)));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_timeout)));
  // A stream of reports may pause between writes; keep pinging it.
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!options.tls_ca_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = ReadPem(options.tls_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!options.tls_cert_file.empty()) {
      absl::StatusOr<std::string> cert = ReadPem(options.tls_cert_file);
      absl::StatusOr<std::string> key = ReadPem(options.tls_key_file);
      if (!cert.ok()) return cert.status();
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(ssl);
  }
  return grpc::CreateCustomChannel(target, credentials, args);
}

ReadinessWatcher::ReadinessWatcher(std::string event,
                                   std::function<std::optional<bool>()> probe,
                                   std::function<void(bool up)> on_change,
                                   bool initially, absl::Duration period)
    : thread_([this, event = std::move(event), probe = std::move(probe),
               on_change = std::move(on_change), initially, period] {
        bool up = initially;
        on_change(up);
        while (!stop_.WaitForNotificationWithTimeout(period)) {
          const std::optional<bool> now = probe();
          if (now.has_value() && *now != up) {
            up = *now;
            LogEvent(up ? Severity::kInfo : Severity::kWarning,
                     absl::StrCat(event, up ? "_up" : "_down"), {});
            on_change(up);
          }
        }
      }) {}

ReadinessWatcher::~ReadinessWatcher() {
  stop_.Notify();
  thread_.join();
}

DownstreamWatcher::DownstreamWatcher(std::shared_ptr<grpc::Channel> channel,
                                     std::function<void(bool up)> on_change,
                                     absl::Duration period)
    : watcher_(
          "downstream",
          [channel]() -> std::optional<bool> {
            switch (channel->GetState(/*try_to_connect=*/true)) {
              case GRPC_CHANNEL_READY:
                return true;
              case GRPC_CHANNEL_TRANSIENT_FAILURE:
              case GRPC_CHANNEL_SHUTDOWN:
                return false;
              default:  // IDLE or CONNECTING: no news yet
                return std::nullopt;
            }
          },
          std::move(on_change), /*initially=*/false, period) {}

absl::Status RunServerWhileReady(const ServerOptions& options,
                                 const std::vector<NamedService>& services,
                                 StatsRegistry* stats, std::string event,
                                 std::function<std::optional<bool>()> probe,
                                 absl::Duration period) {
  ServerRunner runner(options);
  absl::Status started = runner.Start(services, stats);
  if (!started.ok()) return started;
  {
    ReadinessWatcher watcher(
        std::move(event), std::move(probe),
        [&runner](bool up) { runner.SetServing(up); }, options.start_serving,
        period);
    runner.Wait();
  }
  return absl::OkStatus();
}

absl::Status RunChainStage(const ServerOptions& options,
                           const std::vector<NamedService>& services,
                           StatsRegistry* stats,
                           std::shared_ptr<grpc::Channel> downstream) {
  ServerOptions stage = options;
  stage.start_serving = downstream == nullptr;
  ServerRunner runner(stage);
  absl::Status started = runner.Start(services, stats);
  if (!started.ok()) return started;
  std::unique_ptr<DownstreamWatcher> watcher;
  if (downstream != nullptr) {
    watcher = std::make_unique<DownstreamWatcher>(
        downstream, [&runner](bool up) { runner.SetServing(up); });
  }
  runner.Wait();
  watcher.reset();
  return absl::OkStatus();
}

}  // namespace reportpipe::server
