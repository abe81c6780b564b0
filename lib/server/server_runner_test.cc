#include "lib/server/server_runner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "lib/server/downstream.h"

namespace reportpipe::server {
namespace {

ServerOptions LoopbackOptions() {
  ServerOptions options;
  options.service_name = "test";
  options.listen_address = "127.0.0.1:0";
  options.grace = absl::Seconds(2);
  return options;
}

grpc::Status CallGetStats(int port, v1::GetStatsResponse* response) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::Stats::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  return stub->GetStats(&context, v1::GetStatsRequest(), response);
}

TEST(ServerRunnerTest, ServesStatsAndWritesThePort) {
  ServerOptions options = LoopbackOptions();
  options.port_file = absl::StrCat(testing::TempDir(), "/runner_test_port");
  StatsRegistry stats("test");
  stats.AddReportsIn(5);
  ServerRunner runner(options);
  ASSERT_TRUE(runner.Start({}, &stats).ok());
  ASSERT_GT(runner.port(), 0);

  std::ifstream port_file(options.port_file);
  int written_port = 0;
  port_file >> written_port;
  EXPECT_EQ(written_port, runner.port());

  v1::GetStatsResponse response;
  ASSERT_TRUE(CallGetStats(runner.port(), &response).ok());
  EXPECT_EQ(response.service(), "test");
  EXPECT_EQ(response.reports_in(), 5);

  runner.Stop();
  runner.Wait();
  EXPECT_FALSE(CallGetStats(runner.port(), &response).ok());
}

TEST(ServerRunnerTest, SigtermEndsWait) {
  StatsRegistry stats("test");
  ServerRunner runner(LoopbackOptions());
  ASSERT_TRUE(runner.Start({}, &stats).ok());
  // The runner's handler is installed: the signal wakes Wait() instead of
  // killing the test.
  ASSERT_EQ(std::raise(SIGTERM), 0);
  runner.Wait();
  v1::GetStatsResponse response;
  EXPECT_FALSE(CallGetStats(runner.port(), &response).ok());
}

TEST(ServerRunnerTest, OnlyOneRunnerOwnsTheSignals) {
  StatsRegistry stats("test");
  ServerRunner first(LoopbackOptions());
  ASSERT_TRUE(first.Start({}, &stats).ok());
  ServerRunner second(LoopbackOptions());
  EXPECT_EQ(second.Start({}, &stats).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ServerRunnerTest, CertificateWithoutKeyIsRefused) {
  ServerOptions options = LoopbackOptions();
  options.tls_cert_file = "/nonexistent/server.pem";
  StatsRegistry stats("test");
  ServerRunner runner(options);
  EXPECT_EQ(runner.Start({}, &stats).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ServerRunnerTest, UnreadableCertificateIsRefused) {
  ServerOptions options = LoopbackOptions();
  options.tls_cert_file = "/nonexistent/server.pem";
  options.tls_key_file = "/nonexistent/server.key";
  StatsRegistry stats("test");
  ServerRunner runner(options);
  const absl::Status status = runner.Start({}, &stats);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("server.pem"), absl::string_view::npos);
}

TEST(ServerRunnerTest, PortInUseIsAnError) {
  // A plain listening socket holds the port (no SO_REUSEPORT).
  const int holder = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length),
            0);

  ServerOptions options = LoopbackOptions();
  options.listen_address = absl::StrCat("127.0.0.1:", ntohs(address.sin_port));
  StatsRegistry stats("test");
  ServerRunner runner(options);
  EXPECT_EQ(runner.Start({}, &stats).code(), absl::StatusCode::kUnavailable);
  close(holder);
}

// The watcher reports its first state at once, then each change the probe
// sees, and nothing for a probe that cannot say (nullopt) or says the same.
TEST(ReadinessWatcherTest, ReportsChangesOnly) {
  std::atomic<int> answer{1};  // 1 up, 0 down, -1 cannot say
  std::atomic<int> probes{0};
  absl::Mutex mu;
  std::vector<bool> seen;
  {
    ReadinessWatcher watcher(
        "test",
        [&]() -> std::optional<bool> {
          ++probes;
          const int a = answer.load();
          if (a < 0) return std::nullopt;
          return a == 1;
        },
        [&](bool up) {
          absl::MutexLock lock(&mu);
          seen.push_back(up);
        },
        /*initially=*/true, absl::Milliseconds(5));
    auto wait_probes = [&](int more) {
      const int target = probes.load() + more;
      for (int i = 0; i < 400 && probes.load() < target; ++i) {
        absl::SleepFor(absl::Milliseconds(5));
      }
      return probes.load() >= target;
    };
    ASSERT_TRUE(wait_probes(3));  // up, as it started: no change
    answer = -1;
    ASSERT_TRUE(wait_probes(3));  // no news: no change
    answer = 0;
    ASSERT_TRUE(wait_probes(3));
    answer = 1;
    ASSERT_TRUE(wait_probes(3));
  }
  absl::MutexLock lock(&mu);
  EXPECT_EQ(seen, (std::vector<bool>{true, false, true}));
}

}  // namespace
}  // namespace reportpipe::server
