// What the tests that start the whole chain share: SYNTHETIC report
// batches, the three server processes (with a stage killed and restarted on
// its port), SubmitReports streams, health and stats, and `reportpipe
// submit` as a child process.
//
//   Chain chain(dir);
//   ASSERT_TRUE(chain.Start(dir + "/store.db").ok());
//   StreamResult result = SubmitReports(chain.channel(Stage::kSegmenter), batch);
//   chain.Kill(Stage::kExtractor);
//   ASSERT_TRUE(chain.Restart(Stage::kExtractor).ok());   // the same port
//
// Every wait has a bound.
#ifndef REPORTPIPE_TESTS_CHAIN_HARNESS_H_
#define REPORTPIPE_TESTS_CHAIN_HARNESS_H_

#include <sys/types.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "lib/process/server_process.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"
#include "reportpipe/v1/receipt.pb.h"
#include "reportpipe/v1/report.pb.h"
#include "reportpipe/v1/stats.grpc.pb.h"

namespace reportpipe::chaintest {

using HealthStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

// SYNTHETIC data: none of it is a report of a real place.
//
// A fictional region for report `i`: 测试 and i's decimal digits written as
// heavenly stems (甲 = 0 … 癸 = 9), then 县 — 测试乙县, 测试乙甲县 …. Stems,
// because the title reader takes no digits inside a region's name.
std::string SyntheticRegion(int i);

// The real 平罗县 report (`pingluo`, about 9 KB) with the region renamed
// SyntheticRegion(i) throughout: an identity and a content hash of its own.
std::string SyntheticText(const std::string& pingluo, int i);

// A short report (about 300 bytes) of SyntheticRegion(i) for 2023: a title,
// two sections and three metrics. For batches of thousands that must go
// through the chain in seconds.
std::string ShortSyntheticText(int i);

// Writes report i (i in [1, count]) as `dir`/synthetic-i.txt.
absl::Status WriteSyntheticBatch(const std::string& dir, int count,
                                 const std::function<std::string(int)>& text);

// Polls `done` every 10 ms until it holds or `limit` has passed.
bool WaitFor(absl::Duration limit, const std::function<bool()>& done);

// The server's health for `service` ("" = the server as a whole); UNKNOWN
// when the call itself fails.
HealthStatus Health(const std::shared_ptr<grpc::Channel>& channel,
                    const std::string& service = "");

// The server's counters.
absl::StatusOr<v1::GetStatsResponse> GetStats(const std::shared_ptr<grpc::Channel>& channel);

// The last `bytes` of a file, for failure messages.
std::string Tail(const std::string& path, size_t bytes = 3000);

// A loopback port nothing listens on (yet): bound, read back and released.
int UnusedLoopbackPort();

// Runs `args` (argv[0] a path) as a child process, stdout and stderr into
// `log`; 0 when it cannot start.
pid_t Spawn(std::vector<std::string> args, const std::string& log);

// Whether `pid` is still running (not reaped: its owner reaps it).
bool Alive(pid_t pid);

// A child process killed (SIGKILL) and reaped when this goes out of scope
// unless it was reaped already: a failed assertion leaves nothing behind.
class ChildProcess {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const;
  // Waits at most `limit` for the process to exit: its waitpid status, or
  // nothing if it is still running.
  std::optional<int> Wait(absl::Duration limit);

 private:
  pid_t pid_;
};

// What one SubmitReports stream gave back.
struct StreamResult {
  std::vector<v1::Receipt> receipts;
  grpc::Status status;
  int written = 0;
};

// Streams `count` reports (report(i) for i in [0, count)) with a deadline
// `deadline` from now, writing while reading receipts, as a real client does.
StreamResult SubmitStream(const std::shared_ptr<grpc::Channel>& channel, int count,
                          const std::function<v1::Report(int)>& report,
                          absl::Duration deadline = absl::Seconds(60));
StreamResult SubmitReports(const std::shared_ptr<grpc::Channel>& channel,
                           const std::vector<v1::Report>& reports,
                           absl::Duration deadline = absl::Seconds(60));

// Receipts by report id.
std::map<std::string, v1::Receipt> ById(const std::vector<v1::Receipt>& receipts);

// A channel to `address` whose messages may be as large as the servers'
// default limit (64 MiB) both ways.
std::shared_ptr<grpc::Channel> LargeMessageChannel(const std::string& address);

enum class Stage { kSegmenter = 0, kExtractor = 1, kAggregator = 2 };
const char* StageName(Stage stage);

// The three servers, each its own process on loopback, started from the end
// of the chain, each pointed at the next; their logs in `dir`/NAME.log.
class Chain {
 public:
  explicit Chain(std::string dir) : dir_(std::move(dir)) {}

  // `store` is the aggregator's --store (a SQLite path or a PostgreSQL URL);
  // `extra` adds flags to a stage. Waits until every stage is SERVING.
  absl::Status Start(const std::string& store,
                     std::map<Stage, std::vector<std::string>> extra = {});

  // SIGKILL, and reap.
  void Kill(Stage stage);
  // Starts `stage` again with its flags on its old port (the old socket may
  // linger a moment: a few tries), and waits until it is SERVING.
  absl::Status Restart(Stage stage);

  process::ServerProcess& server(Stage stage) { return *servers_[Index(stage)]; }
  std::shared_ptr<grpc::Channel> channel(Stage stage) { return server(stage).channel(); }
  std::string address(Stage stage) { return server(stage).address(); }
  std::string LogOf(Stage stage) const;

  // Every stage's process running and SERVING within `limit`; the error
  // names the first that is not.
  absl::Status AllServing(absl::Duration limit = absl::Seconds(20));

  // The aggregator's stored reports.
  absl::StatusOr<std::vector<v1::StoredReport>> List(bool include_history);

 private:
  static int Index(Stage stage) { return static_cast<int>(stage); }
  absl::Status StartStage(Stage stage, std::vector<std::string> flags);

  std::string dir_;
  std::array<std::unique_ptr<process::ServerProcess>, 3> servers_;
  std::array<std::vector<std::string>, 3> flags_;
  std::array<int, 3> ports_ = {0, 0, 0};
};

}  // namespace reportpipe::chaintest

#endif  // REPORTPIPE_TESTS_CHAIN_HARNESS_H_
