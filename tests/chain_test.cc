// The chained pipeline end to end: aggregator_server, extractor_server and
// segmenter_server started as separate processes on loopback ports, each
// pointed at the next, and driven as a caller would — a C++ client on
// Segmenter.SubmitReports, the `reportpipe submit` binary, health, Stats and
// the aggregator's queries. The fault test kills the extractor in the middle
// of a batch and checks that the store ends up with exactly the batch.
//
// Some tests put an in-process fake aggregator at the end of a real
// segmenter → extractor chain, to see what reaches the last stage (the
// caller's deadline) and to make it fail at a chosen report.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lib/process/server_process.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "reportpipe/v1/stats.grpc.pb.h"
#include "tests/chain_harness.h"

extern char** environ;

namespace reportpipe {
namespace {

using ::reportpipe::chaintest::ById;
using ::reportpipe::chaintest::Health;
using ::reportpipe::chaintest::Spawn;
using ::reportpipe::chaintest::StreamResult;
using ::reportpipe::chaintest::SubmitReports;
using ::reportpipe::chaintest::SubmitStream;
using ::reportpipe::chaintest::SyntheticRegion;
using ::reportpipe::chaintest::SyntheticText;
using ::reportpipe::chaintest::Tail;
using ::reportpipe::chaintest::UnusedLoopbackPort;
using ::reportpipe::chaintest::WaitFor;
using ::reportpipe::process::In;
using ::reportpipe::process::ReadFile;
using ::reportpipe::process::ServerProcess;

namespace health = grpc::health::v1;

const std::string kRoot = REPORTPIPE_SOURCE_DIR;
const std::string kFixtures = kRoot + "/tests/fixtures/corpus/";
const std::string kPingluo = kRoot + "/../shared/corpus/pingluo-2023.txt";

std::vector<std::string> SampleCorpus() {
  return {kFixtures + "qinghe-2021.txt", kFixtures + "qinghe-2022.txt",
          kFixtures + "qinghe-2023.txt", kFixtures + "yunchuan-2023.txt", kPingluo};
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

v1::Report ReportFromFile(const std::string& path) {
  v1::Report report;
  report.set_id(BaseName(path));
  report.set_source(path);
  report.set_text(ReadFile(path));
  return report;
}

v1::GetStatsResponse Stats(const std::shared_ptr<grpc::Channel>& channel) {
  v1::GetStatsResponse response;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(5)));
  const grpc::Status status = v1::Stats::NewStub(channel)->GetStats(&context, {}, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::map<int, v1::ComparisonRow> ByYear(const v1::CompareResponse& response) {
  std::map<int, v1::ComparisonRow> out;
  for (const v1::ComparisonRow& row : response.rows()) out[row.year()] = row;
  return out;
}

// Three servers, each its own process, started from the end of the chain.
class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(ReadFile(kPingluo).empty()) << "shared corpus missing: " << kPingluo;
    char dir[] = "/tmp/reportpipe-chain-test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }

  void TearDown() override {
    // A failed test leaves its logs behind, named in the failure message.
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::string LogOf(const std::string& name) const { return absl::StrCat(dir_, "/", name, ".log"); }

  // Starts `binary` (its log in the test's directory) with the chain flags.
  absl::Status StartServer(ServerProcess* server, const std::string& binary,
                           const std::string& name, std::vector<std::string> flags) {
    flags.push_back("--grace_seconds=5");
    absl::Status started = server->StartLogged(binary, flags, LogOf(name));
    if (!started.ok()) {
      started = absl::Status(started.code(), absl::StrCat(started.message(), "\n",
                                                          Tail(LogOf(name))));
    }
    return started;
  }

  absl::Status StartAggregator() {
    return StartServer(&aggregator_, AGGREGATOR_SERVER_BIN, "aggregator",
                       {absl::StrCat("--store=", dir_, "/store.db")});
  }
  // `extra` may pin the port: a later --listen overrides ServerProcess's.
  absl::Status StartExtractor(ServerProcess* extractor, const std::string& aggregator,
                              std::vector<std::string> extra = {}) {
    extra.push_back(absl::StrCat("--aggregator=", aggregator));
    return StartServer(extractor, EXTRACTOR_SERVER_BIN, "extractor", extra);
  }
  absl::Status StartSegmenter(const std::string& extractor) {
    return StartServer(&segmenter_, SEGMENTER_SERVER_BIN, "segmenter",
                       {absl::StrCat("--extractor=", extractor)});
  }

  // The whole chain, and every stage SERVING (its next stage reachable).
  void StartChain() {
    absl::Status started = StartAggregator();
    ASSERT_TRUE(started.ok()) << started;
    started = StartExtractor(&extractor_, aggregator_.address());
    ASSERT_TRUE(started.ok()) << started;
    started = StartSegmenter(extractor_.address());
    ASSERT_TRUE(started.ok()) << started;
    ExpectServing();
  }

  void ExpectServing() {
    for (ServerProcess* server : {&segmenter_, &extractor_, &aggregator_}) {
      EXPECT_TRUE(WaitFor(absl::Seconds(20), [&] {
        return Health(server->channel()) == health::HealthCheckResponse::SERVING;
      })) << "not SERVING: " << server->address() << "; logs in " << dir_;
    }
  }

  std::unique_ptr<v1::Aggregator::Stub> AggregatorStub() {
    return v1::Aggregator::NewStub(aggregator_.channel());
  }

  v1::CompareResponse Compare(const std::string& region, const std::string& indicator) {
    v1::CompareRequest request;
    request.set_region(region);
    request.set_indicator(indicator);
    v1::CompareResponse response;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    const grpc::Status status = AggregatorStub()->Compare(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::vector<v1::StoredReport> List(bool history) {
    v1::ListReportsRequest request;
    request.set_include_history(history);
    v1::ListReportsResponse response;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    const grpc::Status status = AggregatorStub()->ListReports(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.reports().begin(), response.reports().end()};
  }

  std::string dir_;
  ServerProcess aggregator_;
  ServerProcess extractor_;
  ServerProcess segmenter_;
};

TEST_F(ChainTest, SampleCorpusIsCommittedComparedAndCounted) {
  ASSERT_NO_FATAL_FAILURE(StartChain());
  std::vector<v1::Report> batch;
  for (const std::string& path : SampleCorpus()) batch.push_back(ReportFromFile(path));
  // Two bad reports in the middle of the batch: neither stops the others.
  v1::Report invalid;
  invalid.set_id("invalid-utf8");
  invalid.set_text("青禾县2023年度法治政府建设情况报告\n\xff\xfe一、主要工作\n");
  v1::Report empty;
  empty.set_id("empty");
  batch.insert(batch.begin() + 2, invalid);
  batch.insert(batch.begin() + 4, empty);

  const StreamResult first = SubmitReports(segmenter_.channel(), batch);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message() << "; logs in " << dir_;
  // One receipt per report, none twice.
  ASSERT_EQ(first.receipts.size(), batch.size());
  const std::map<std::string, v1::Receipt> receipts = ById(first.receipts);
  ASSERT_EQ(receipts.size(), batch.size());
  for (const char* bad : {"invalid-utf8", "empty"}) {
    const v1::Receipt& r = receipts.at(bad);
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_REJECTED) << bad;
    EXPECT_EQ(r.status_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_FALSE(r.status_message().empty()) << bad;
  }
  const std::map<std::string, std::pair<std::string, int>> want = {
      {"qinghe-2021.txt", {"青禾县", 2021}},   {"qinghe-2022.txt", {"青禾县", 2022}},
      {"qinghe-2023.txt", {"青禾县", 2023}},   {"yunchuan-2023.txt", {"云川市临水区", 2023}},
      {"pingluo-2023.txt", {"平罗县", 2023}}};
  for (const auto& [id, identity] : want) {
    const v1::Receipt& r = receipts.at(id);
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_COMMITTED) << id << ": " << r.status_message();
    EXPECT_EQ(r.status_code(), 0) << id;
    EXPECT_EQ(r.region(), identity.first) << id;
    EXPECT_EQ(r.year(), identity.second) << id;
    EXPECT_EQ(r.content_hash().size(), 64u) << id;
    EXPECT_GT(r.metric_count(), 40) << id;
  }

  // Each stage counted what passed through it.
  const v1::GetStatsResponse segmenter = Stats(segmenter_.channel());
  EXPECT_EQ(segmenter.service(), "segmenter");
  EXPECT_EQ(segmenter.reports_in(), 7);
  EXPECT_EQ(segmenter.reports_out(), 5);
  EXPECT_EQ(segmenter.errors(), 2);
  const v1::GetStatsResponse extractor = Stats(extractor_.channel());
  EXPECT_EQ(extractor.service(), "extractor");
  EXPECT_EQ(extractor.reports_in(), 5);
  EXPECT_EQ(extractor.reports_out(), 5);
  EXPECT_GT(extractor.metrics(), 200);
  const v1::GetStatsResponse aggregator = Stats(aggregator_.channel());
  EXPECT_EQ(aggregator.service(), "aggregator");
  EXPECT_EQ(aggregator.reports_in(), 5);
  EXPECT_EQ(aggregator.reports_out(), 5);
  EXPECT_EQ(aggregator.metrics(), extractor.metrics());

  // The comparisons, with each report's claims checked against the others.
  std::map<int, v1::ComparisonRow> loss = ByYear(Compare("青禾县", "litigation.loss_rate"));
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_DOUBLE_EQ(loss[2021].value(), 21.6);
  EXPECT_DOUBLE_EQ(loss[2022].value(), 18.5);
  EXPECT_DOUBLE_EQ(loss[2023].value(), 15.0);
  ASSERT_EQ(loss[2022].claims_size(), 1);
  EXPECT_EQ(loss[2022].claims(0).status(), v1::CLAIM_STATUS_CONSISTENT);
  std::map<int, v1::ComparisonRow> cases = ByYear(Compare("青禾县", "litigation.cases"));
  ASSERT_EQ(cases[2023].claims_size(), 1);
  EXPECT_EQ(cases[2023].claims(0).status(), v1::CLAIM_STATUS_INCONSISTENT);
  EXPECT_EQ(List(/*history=*/true).size(), 5u);

  // The same batch again: every report is already stored, nothing changes.
  const StreamResult again = SubmitReports(segmenter_.channel(), batch);
  ASSERT_TRUE(again.status.ok()) << again.status.error_message();
  ASSERT_EQ(again.receipts.size(), batch.size());
  for (const auto& [id, identity] : want) {
    EXPECT_EQ(ById(again.receipts).at(id).outcome(), v1::RECEIPT_OUTCOME_DUPLICATE) << id;
  }
  EXPECT_EQ(List(/*history=*/true).size(), 5u);
  EXPECT_EQ(Stats(aggregator_.channel()).reports_out(), 10);
}

// A stage is not ready while its next stage cannot be reached: a balancer
// must not send it streams it could only fail. It becomes ready on its own
// once the next stage listens.
TEST_F(ChainTest, SegmenterServesOnlyOnceItsExtractorListens) {
  ASSERT_TRUE(StartAggregator().ok());
  const int port = UnusedLoopbackPort();
  ASSERT_NE(port, 0);
  const std::string extractor_address = absl::StrCat("127.0.0.1:", port);
  const absl::Status started = StartSegmenter(extractor_address);
  ASSERT_TRUE(started.ok()) << started;

  // From the moment it accepts calls, not after a first poll.
  EXPECT_EQ(Health(segmenter_.channel()), health::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(segmenter_.channel(), "reportpipe.v1.Segmenter"),
            health::HealthCheckResponse::NOT_SERVING);
  // Yet alive: a liveness probe must not restart a stage for its next
  // stage's outage.
  EXPECT_EQ(Health(segmenter_.channel(), "liveness"), health::HealthCheckResponse::SERVING);
  // A stream sent anyway ends UNAVAILABLE (the caller may retry) rather than
  // hanging until its deadline.
  const StreamResult refused = SubmitReports(segmenter_.channel(), {ReportFromFile(kPingluo)},
                                             absl::Seconds(20));
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << refused.status.error_message();
  EXPECT_TRUE(refused.receipts.empty());
  EXPECT_EQ(Health(segmenter_.channel()), health::HealthCheckResponse::NOT_SERVING);

  const absl::Status extractor_started =
      StartExtractor(&extractor_, aggregator_.address(),
                     {absl::StrCat("--listen=", extractor_address)});
  ASSERT_TRUE(extractor_started.ok()) << extractor_started;
  ASSERT_EQ(extractor_.port(), port);
  // gRPC's reconnect backoff decides when the segmenter notices: bounded.
  EXPECT_TRUE(WaitFor(absl::Seconds(30), [&] {
    return Health(segmenter_.channel()) == health::HealthCheckResponse::SERVING;
  })) << "logs in " << dir_;
  EXPECT_EQ(Health(segmenter_.channel(), "reportpipe.v1.Segmenter"),
            health::HealthCheckResponse::SERVING);

  const StreamResult stored = SubmitReports(segmenter_.channel(), {ReportFromFile(kPingluo)});
  ASSERT_TRUE(stored.status.ok()) << stored.status.error_message();
  ASSERT_EQ(stored.receipts.size(), 1u);
  EXPECT_EQ(stored.receipts[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
}

// A deadline far too short for the batch ends the stream with
// DEADLINE_EXCEEDED; every stage ends its part of the stream and stays up.
TEST_F(ChainTest, ShortDeadlineEndsTheStreamAndTheServersStayUp) {
  ASSERT_NO_FATAL_FAILURE(StartChain());
  const std::string pingluo = ReadFile(kPingluo);
  const StreamResult cut = SubmitStream(
      segmenter_.channel(), 5000,
      [&](int i) {
        v1::Report report;
        report.set_id(absl::StrCat("synthetic-", i));
        report.set_text(SyntheticText(pingluo, i));
        return report;
      },
      absl::Milliseconds(300));
  EXPECT_EQ(cut.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << cut.status.error_message();
  EXPECT_LT(cut.receipts.size(), 5000u);
  // The relays log the end of their streams: both ended theirs, not left
  // them open with the next stage.
  for (const char* name : {"segmenter", "extractor"}) {
    EXPECT_TRUE(WaitFor(absl::Seconds(10), [&] {
      return ReadFile(LogOf(name)).find("submit_stream_ended") != std::string::npos;
    })) << name << " never ended its stream:\n"
        << Tail(LogOf(name));
  }
  for (ServerProcess* server : {&segmenter_, &extractor_, &aggregator_}) {
    EXPECT_EQ(waitpid(server->pid(), nullptr, WNOHANG), 0) << server->address() << " died";
  }
  ExpectServing();
  // What was committed before the deadline is stored once; the chain takes
  // the next batch as if nothing had happened.
  const StreamResult next = SubmitReports(segmenter_.channel(), {ReportFromFile(kPingluo)});
  ASSERT_TRUE(next.status.ok()) << next.status.error_message();
  ASSERT_EQ(next.receipts.size(), 1u);
  EXPECT_EQ(next.receipts[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  const std::vector<v1::StoredReport> stored = List(/*history=*/true);
  std::set<std::string> regions;
  for (const v1::StoredReport& r : stored) regions.insert(r.region());
  EXPECT_EQ(regions.size(), stored.size()) << "a report stored twice";
}

// The last stage of the chain, in this process: it sees each IngestStream's
// deadline, answers COMMITTED to the first `answer_before_failing` reports
// and then fails the stream with UNAVAILABLE (never, when negative). With
// `fail_first_commit`, the first time it sees a report it answers as the
// real aggregator does when its transaction fails: a REJECTED receipt with
// UNAVAILABLE, nothing stored, send again.
class FakeAggregator final : public v1::Aggregator::Service {
 public:
  explicit FakeAggregator(int answer_before_failing, bool fail_first_commit = false)
      : limit_(answer_before_failing), fail_first_commit_(fail_first_commit) {}

  grpc::Status IngestStream(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::IngestStreamResponse, v1::IngestStreamRequest>* stream)
      override {
    {
      absl::MutexLock lock(&mu_);
      deadlines_.push_back(context->deadline());
    }
    v1::IngestStreamRequest request;
    int answered = 0;
    while (stream->Read(&request)) {
      if (limit_ >= 0 && answered == limit_) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake aggregator failing");
      }
      const std::string& id = request.extracted_report().report().report_id();
      v1::IngestStreamResponse response;
      response.mutable_receipt()->set_report_id(id);
      bool first = false;
      {
        absl::MutexLock lock(&mu_);
        first = ++seen_[id] == 1;
      }
      if (fail_first_commit_ && first) {
        response.mutable_receipt()->set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
        response.mutable_receipt()->set_status_code(grpc::StatusCode::UNAVAILABLE);
        response.mutable_receipt()->set_status_message("not stored, send again: disk I/O error");
      } else {
        response.mutable_receipt()->set_outcome(v1::RECEIPT_OUTCOME_COMMITTED);
      }
      if (!stream->Write(response)) break;
      ++answered;
    }
    return grpc::Status::OK;
  }

  std::vector<std::chrono::system_clock::time_point> deadlines() {
    absl::MutexLock lock(&mu_);
    return deadlines_;
  }

  // How many times each report id reached this stage.
  std::map<std::string, int> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

 private:
  const int limit_;
  const bool fail_first_commit_;
  absl::Mutex mu_;
  std::map<std::string, int> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<std::chrono::system_clock::time_point> deadlines_ ABSL_GUARDED_BY(mu_);
};

class FakeAggregatorChainTest : public ChainTest {
 protected:
  void StartWithFake(int answer_before_failing, bool fail_first_commit = false) {
    fake_ = std::make_unique<FakeAggregator>(answer_before_failing, fail_first_commit);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(fake_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    absl::Status started = StartExtractor(&extractor_, absl::StrCat("127.0.0.1:", port));
    ASSERT_TRUE(started.ok()) << started;
    started = StartSegmenter(extractor_.address());
    ASSERT_TRUE(started.ok()) << started;
    for (ServerProcess* server : {&segmenter_, &extractor_}) {
      ASSERT_TRUE(WaitFor(absl::Seconds(20), [&] {
        return Health(server->channel()) == health::HealthCheckResponse::SERVING;
      })) << server->address();
    }
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(In(absl::Seconds(1)));
    ChainTest::TearDown();
  }

  std::unique_ptr<FakeAggregator> fake_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(FakeAggregatorChainTest, CallerDeadlineReachesTheLastStage) {
  ASSERT_NO_FATAL_FAILURE(StartWithFake(/*answer_before_failing=*/-1));
  const absl::Time deadline = absl::Now() + absl::Seconds(40);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(deadline));
  auto stream = v1::Segmenter::NewStub(segmenter_.channel())->SubmitReports(&context);
  v1::SubmitReportsRequest request;
  *request.mutable_report() = ReportFromFile(kPingluo);
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  v1::SubmitReportsResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.receipt().outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  const grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Two hops down, the aggregator's stream has the caller's deadline (give
  // or take the time on the wire), not none and not a stage's own.
  const auto seen = fake_->deadlines();
  ASSERT_EQ(seen.size(), 1u);
  const absl::Duration skew = absl::FromChrono(seen[0]) - deadline;
  EXPECT_LT(absl::AbsDuration(skew), absl::Seconds(2)) << skew;
}

// The next stage fails in the middle of a batch: the receipts it gave are
// delivered, then the stream ends UNAVAILABLE, so the caller knows exactly
// what to send again. (It used to hang until the caller's deadline.)
TEST_F(FakeAggregatorChainTest, DownstreamFailureEndsUnavailableAfterItsReceipts) {
  constexpr int kAnswered = 3;
  ASSERT_NO_FATAL_FAILURE(StartWithFake(kAnswered));
  const std::string pingluo = ReadFile(kPingluo);
  const StreamResult result = SubmitStream(
      segmenter_.channel(), 40,
      [&](int i) {
        v1::Report report;
        report.set_id(absl::StrCat("synthetic-", i));
        report.set_text(SyntheticText(pingluo, i));
        return report;
      },
      absl::Seconds(30));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << result.status.error_message();
  EXPECT_EQ(result.receipts.size(), static_cast<size_t>(kAnswered));
  for (const v1::Receipt& r : result.receipts) {
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_COMMITTED) << r.report_id();
  }
  // Both relays are ready for the next stream.
  for (ServerProcess* server : {&segmenter_, &extractor_}) {
    EXPECT_EQ(waitpid(server->pid(), nullptr, WNOHANG), 0) << server->address() << " died";
    EXPECT_EQ(Health(server->channel()), health::HealthCheckResponse::SERVING);
  }
}

// The store could not commit (its transaction failed): the aggregator
// answers REJECTED with UNAVAILABLE — nothing stored, send again — and
// `reportpipe submit` does send those reports again instead of giving up.
TEST_F(FakeAggregatorChainTest, SubmitSendsAgainWhatTheStoreCouldNotCommit) {
  ASSERT_NO_FATAL_FAILURE(StartWithFake(/*answer_before_failing=*/-1, /*fail_first_commit=*/true));
  const std::string log = dir_ + "/submit.log";
  pid_t submit = Spawn({REPORTPIPE_BIN, "submit", "--to=" + segmenter_.address(),
                        kFixtures + "qinghe-2021.txt", kFixtures + "qinghe-2022.txt", kPingluo},
                       log);
  ASSERT_GT(submit, 0);
  int status = 0;
  const bool exited =
      WaitFor(absl::Seconds(60), [&] { return waitpid(submit, &status, WNOHANG) == submit; });
  if (!exited) {
    kill(submit, SIGKILL);
    waitpid(submit, nullptr, 0);
  }
  ASSERT_TRUE(exited) << Tail(log);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(log);
  EXPECT_NE(ReadFile(log).find("3 reports: 3 committed"), std::string::npos) << ReadFile(log);
  for (const auto& [id, times] : fake_->seen()) EXPECT_EQ(times, 2) << id;
  EXPECT_EQ(fake_->seen().size(), 3u);
}

// The "done when": a batch of 2,000 reports through `reportpipe
// submit`, the extractor killed with SIGKILL in the middle and restarted on
// its port, and the store holds exactly the batch — none lost, none twice.
TEST_F(ChainTest, ExtractorKilledMidBatchLosesAndDuplicatesNothing) {
  constexpr int kReports = 2000;
  const std::string pingluo = ReadFile(kPingluo);
  const std::string batch_dir = dir_ + "/batch";
  std::filesystem::create_directory(batch_dir);
  for (int i = 1; i <= kReports; ++i) {
    std::ofstream(absl::StrCat(batch_dir, "/synthetic-", i, ".txt")) << SyntheticText(pingluo, i);
  }
  ASSERT_NO_FATAL_FAILURE(StartChain());
  const int extractor_port = extractor_.port();

  const std::string submit_log = dir_ + "/submit.log";
  pid_t submit = Spawn({REPORTPIPE_BIN, "submit", "--to=" + segmenter_.address(), batch_dir},
                       submit_log);
  ASSERT_GT(submit, 0);
  // Kills the client if an assertion below returns early.
  struct Reaper {
    pid_t* pid;
    ~Reaper() {
      if (*pid > 0) {
        kill(*pid, SIGKILL);
        waitpid(*pid, nullptr, 0);
      }
    }
  } reaper{&submit};

  ASSERT_TRUE(WaitFor(absl::Seconds(60), [&] {
    return Stats(aggregator_.channel()).reports_out() >= 500;
  })) << "the batch never got going:\n" << Tail(submit_log);
  extractor_.Kill();
  const int64_t committed_at_kill = Stats(aggregator_.channel()).reports_out();
  ASSERT_EQ(waitpid(submit, nullptr, WNOHANG), 0) << "submit finished before the kill";
  EXPECT_LT(committed_at_kill, kReports) << "the kill came after the batch";

  // The same port, so the segmenter's channel finds it again. The old
  // socket may linger for a moment: a few tries.
  ServerProcess restarted;
  absl::Status started;
  for (int attempt = 0; attempt < 20; ++attempt) {
    started = StartExtractor(&restarted, aggregator_.address(),
                             {absl::StrCat("--listen=127.0.0.1:", extractor_port)});
    if (started.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(started.ok()) << started;
  ASSERT_EQ(restarted.port(), extractor_port);

  int status = 0;
  ASSERT_TRUE(WaitFor(absl::Seconds(60), [&] { return waitpid(submit, &status, WNOHANG) == submit; }))
      << "submit still running:\n" << Tail(submit_log);
  submit = 0;
  const std::string summary = ReadFile(submit_log);
  std::cerr << "killed at " << committed_at_kill << " committed; reportpipe submit said:\n"
            << summary;
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << summary;
  EXPECT_NE(summary.find("2000 reports"), std::string::npos) << summary;
  EXPECT_NE(summary.find(" 0 without receipt"), std::string::npos) << summary;
  // The kill broke a stream: the client had to send the rest again.
  EXPECT_EQ(summary.find("(1 stream)"), std::string::npos) << summary;

  // Exactly the batch: every identity once, with one version.
  const std::vector<v1::StoredReport> history = List(/*history=*/true);
  EXPECT_EQ(history.size(), static_cast<size_t>(kReports));
  std::set<std::string> expected;
  for (int i = 1; i <= kReports; ++i) expected.insert(SyntheticRegion(i));
  std::set<std::string> regions;
  for (const v1::StoredReport& r : history) {
    EXPECT_TRUE(regions.insert(r.region()).second) << "stored twice: " << r.region();
    EXPECT_EQ(r.year(), 2023) << r.region();
    EXPECT_TRUE(r.current()) << r.region();
  }
  EXPECT_EQ(regions, expected);
  EXPECT_EQ(List(/*history=*/false).size(), static_cast<size_t>(kReports));
}

}  // namespace
}  // namespace reportpipe
