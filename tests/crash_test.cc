// Crashes in the middle of a batch: `reportpipe submit` streams 5,000
// SYNTHETIC reports through the chain, one server is killed with SIGKILL
// part-way through and started again on its port (or the PostgreSQL server
// under the aggregator is stopped and started), and then:
//   - submit finishes on its own, exit 0, every report with a receipt;
//   - the store holds exactly the batch: each report once, none missing
//     (ListReports with history, so a second version would show);
//   - the three servers are up and SERVING (the aggregator, which reports
//     NOT_SERVING while its PostgreSQL server is down, SERVING again).
// Killing the segmenter breaks the caller's own stream: submit reconnects
// to the restarted one and sends again what has no receipt. Killing the
// aggregator must lose nothing it acknowledged: a receipt is sent only after
// its transaction is durable (SQLite WAL, synchronous=FULL), so a report
// acknowledged then lost would be missing at the end — submit never resends
// what was acknowledged.
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/process/server_process.h"
#include "tests/chain_harness.h"

namespace reportpipe::chaintest {
namespace {

using ::reportpipe::process::ReadFile;
using ::testing::HasSubstr;

constexpr int kReports = 5000;
// Killed once the aggregator has committed this many: well inside the
// batch, after the streams are in full flow.
constexpr int kKillAfter = 1500;

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/reportpipe-crash-test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    batch_ = dir_ + "/batch";
    std::filesystem::create_directory(batch_);
    ASSERT_TRUE(WriteSyntheticBatch(batch_, kReports, ShortSyntheticText).ok());
    chain_ = std::make_unique<Chain>(dir_);
  }

  void TearDown() override {
    chain_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Committed so far by the aggregator now running (-1 if it cannot say).
  int64_t Committed() {
    absl::StatusOr<v1::GetStatsResponse> stats = GetStats(chain_->channel(Stage::kAggregator));
    return stats.ok() ? stats->reports_out() : -1;
  }

  // Starts the chain on `store`, submits the batch, calls `fault` once
  // kKillAfter reports are committed, and checks the outcome.
  void RunBatchThrough(const std::string& store, const std::function<void()>& fault) {
    const absl::Time start = absl::Now();
    const absl::Status started = chain_->Start(store);
    ASSERT_TRUE(started.ok()) << started;
    const std::string log = dir_ + "/submit.log";
    ChildProcess submit(
        Spawn({REPORTPIPE_BIN, "submit", "--to=" + chain_->address(Stage::kSegmenter), batch_},
              log));
    ASSERT_GT(submit.pid(), 0);
    ASSERT_TRUE(WaitFor(absl::Seconds(60), [&] { return Committed() >= kKillAfter; }))
        << "the batch never got going:\n"
        << Tail(log);
    const int64_t committed_at_fault = Committed();
    ASSERT_TRUE(submit.running()) << "submit finished before the fault:\n" << Tail(log);
    ASSERT_NO_FATAL_FAILURE(fault());

    const std::optional<int> status = submit.Wait(absl::Seconds(90));
    ASSERT_TRUE(status.has_value()) << "submit still running:\n" << Tail(log);
    const std::string summary = ReadFile(log);
    std::cerr << "fault at " << committed_at_fault << " committed; " << absl::Now() - start
              << " in all; reportpipe submit said:\n"
              << summary;
    EXPECT_LT(committed_at_fault, kReports) << "the fault came after the batch";
    ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << summary;
    EXPECT_THAT(summary, HasSubstr(absl::StrCat(kReports, " reports: ")));
    EXPECT_THAT(summary, HasSubstr(" 0 rejected, 0 without receipt"));
    // The fault broke a stream: the client had to send the rest again.
    EXPECT_THAT(summary, ::testing::Not(HasSubstr("(1 stream)")));

    const absl::Status up = chain_->AllServing();
    EXPECT_TRUE(up.ok()) << up;
    // Exactly the batch: every identity once, with one version.
    absl::StatusOr<std::vector<v1::StoredReport>> history = chain_->List(/*include_history=*/true);
    ASSERT_TRUE(history.ok()) << history.status();
    EXPECT_EQ(history->size(), static_cast<size_t>(kReports));
    std::set<std::string> expected;
    for (int i = 1; i <= kReports; ++i) expected.insert(SyntheticRegion(i));
    std::set<std::string> regions;
    for (const v1::StoredReport& r : *history) {
      EXPECT_TRUE(regions.insert(r.region()).second) << "stored twice: " << r.region();
      EXPECT_EQ(r.year(), 2023) << r.region();
      EXPECT_TRUE(r.current()) << r.region();
    }
    EXPECT_EQ(regions, expected);
  }

  // SIGKILL `stage`, then start it again on its port.
  void KillAndRestart(Stage stage) {
    chain_->Kill(stage);
    const absl::Status restarted = chain_->Restart(stage);
    ASSERT_TRUE(restarted.ok()) << restarted;
  }

  std::string SqliteStore() const { return dir_ + "/store.db"; }

  std::string dir_;
  std::string batch_;
  std::unique_ptr<Chain> chain_;
};

TEST_F(CrashTest, SegmenterKilledMidBatch) {
  RunBatchThrough(SqliteStore(), [&] { KillAndRestart(Stage::kSegmenter); });
}

TEST_F(CrashTest, ExtractorKilledMidBatch) {
  RunBatchThrough(SqliteStore(), [&] { KillAndRestart(Stage::kExtractor); });
}

TEST_F(CrashTest, AggregatorKilledMidBatch) {
  RunBatchThrough(SqliteStore(), [&] { KillAndRestart(Stage::kAggregator); });
}

// Run by tests/run_with_postgres.sh, which gives the database's URL and a
// command that stops or starts its server. The PostgreSQL server is stopped
// the hard way (immediate: no checkpoint, as after a crash) and started
// again; the aggregator's transactions fail meanwhile, and their reports
// come back REJECTED with UNAVAILABLE, which submit sends again.
TEST_F(CrashTest, PostgresRestartedMidBatch) {
  const char* url = std::getenv("REPORTPIPE_TEST_POSTGRES_URL");
  const char* ctl = std::getenv("REPORTPIPE_TEST_POSTGRES_CTL");
  ASSERT_TRUE(url != nullptr && ctl != nullptr)
      << "run by tests/run_with_postgres.sh, which sets REPORTPIPE_TEST_POSTGRES_URL and "
         "REPORTPIPE_TEST_POSTGRES_CTL";
  RunBatchThrough(url, [&] {
    absl::StatusOr<v1::GetStatsResponse> before = GetStats(chain_->channel(Stage::kAggregator));
    ASSERT_TRUE(before.ok()) << before.status();
    ASSERT_EQ(std::system(absl::StrCat(ctl, " stop").c_str()), 0);
    // The aggregator finds the database gone when its next transaction
    // fails and counts the reports it could not store as errors: wait for
    // that (bounded), so that the fault is really seen.
    const bool failed = WaitFor(absl::Seconds(20), [&] {
      absl::StatusOr<v1::GetStatsResponse> now = GetStats(chain_->channel(Stage::kAggregator));
      return now.ok() && now->errors() > before->errors();
    });
    // Its readiness follows the database (a ping a second), while liveness
    // stays on: Kubernetes takes it out of the Service, and restarts nothing.
    const bool unready = WaitFor(absl::Seconds(10), [&] {
      return Health(chain_->channel(Stage::kAggregator)) ==
             grpc::health::v1::HealthCheckResponse::NOT_SERVING;
    });
    const HealthStatus liveness =
        Health(chain_->channel(Stage::kAggregator), "liveness");
    ASSERT_EQ(std::system(absl::StrCat(ctl, " start").c_str()), 0);
    ASSERT_TRUE(failed) << "the aggregator never noticed the database was down:\n"
                        << Tail(chain_->LogOf(Stage::kAggregator));
    EXPECT_TRUE(unready)
        << "the aggregator stayed ready without its database:\n"
        << Tail(chain_->LogOf(Stage::kAggregator));
    EXPECT_EQ(liveness, grpc::health::v1::HealthCheckResponse::SERVING);
  });
}

}  // namespace
}  // namespace reportpipe::chaintest
