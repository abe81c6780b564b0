// Starts the real segmenter_server binary on a loopback port and talks to it
// through gRPC clients, as a deployment would: health, reflection, Segment,
// SegmentStream, Stats and the drain on SIGTERM. Each test starts its own
// server so that tests run alone or in any order.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lib/process/server_process.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "reportpipe/v1/stats.grpc.pb.h"

namespace reportpipe {
namespace {

using ::reportpipe::process::In;
using ::reportpipe::process::ReadFile;
using ::reportpipe::process::ServerProcess;

namespace health = grpc::health::v1;
namespace reflection = grpc::reflection::v1alpha;

constexpr char kCorpusReport[] =
    REPORTPIPE_SOURCE_DIR "/../shared/corpus/pingluo-2023.txt";
constexpr int kGraceSeconds = 5;

v1::Report PingluoReport(const std::string& id) {
  v1::Report report;
  report.set_id(id);
  report.set_source(kCorpusReport);
  report.set_text(ReadFile(kCorpusReport));
  return report;
}

// A report that starts well and then has a byte that is never valid UTF-8.
constexpr char kValidPrefix[] = "平罗县2023年度法治政府建设情况报告\n";
v1::Report InvalidUtf8Report(const std::string& id) {
  v1::Report report;
  report.set_id(id);
  report.set_text(std::string(kValidPrefix) + "\xff" + "一、主要工作情况\n");
  return report;
}

class SegmenterServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(ReadFile(kCorpusReport).empty())
        << "shared corpus missing: " << kCorpusReport;
    const absl::Status started = server_.Start(
        SEGMENTER_SERVER_BIN, {absl::StrCat("--grace_seconds=", kGraceSeconds)});
    ASSERT_TRUE(started.ok()) << started;
    channel_ = server_.channel();
  }

  // A deadline on every call, so that a hung server fails the test.
  static void SetDeadline(grpc::ClientContext* context) {
    context->set_deadline(In(absl::Seconds(10)));
  }

  ServerProcess server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(SegmenterServerTest, HealthIsServing) {
  auto stub = health::Health::NewStub(channel_);
  for (const std::string service : {"", "reportpipe.v1.Segmenter"}) {
    health::HealthCheckRequest request;
    request.set_service(service);
    health::HealthCheckResponse response;
    grpc::ClientContext context;
    SetDeadline(&context);
    ASSERT_TRUE(stub->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING)
        << service;
  }
}

TEST_F(SegmenterServerTest, ReflectionListsTheServices) {
  auto stub = reflection::ServerReflection::NewStub(channel_);
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stream = stub->ServerReflectionInfo(&context);
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  reflection::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_NE(std::find(names.begin(), names.end(), "reportpipe.v1.Segmenter"),
            names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "reportpipe.v1.Stats"),
            names.end());
}

TEST_F(SegmenterServerTest, SegmentReadsRegionYearAndSections) {
  auto stub = v1::Segmenter::NewStub(channel_);
  v1::SegmentRequest request;
  *request.mutable_report() = PingluoReport("pingluo-2023");
  v1::SegmentResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub->Segment(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::SegmentedReport& segmented = response.segmented_report();
  EXPECT_EQ(segmented.report_id(), "pingluo-2023");
  EXPECT_EQ(segmented.metadata().region(), "平罗县");
  EXPECT_EQ(segmented.metadata().year(), 2023);
  std::vector<std::string> sections;
  for (const v1::Segment& segment : segmented.segments()) {
    if (segment.kind() == v1::SEGMENT_KIND_SECTION && segment.level() == 1) {
      sections.push_back(segment.heading());
    }
  }
  EXPECT_EQ(sections, (std::vector<std::string>{"主要工作情况", "存在的问题",
                                                "2024年工作计划"}));
}

TEST_F(SegmenterServerTest, InvalidUtf8IsInvalidArgumentWithOffset) {
  auto stub = v1::Segmenter::NewStub(channel_);
  v1::SegmentRequest request;
  *request.mutable_report() = InvalidUtf8Report("bad");
  v1::SegmentResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub->Segment(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find(
                absl::StrCat("byte offset ", sizeof(kValidPrefix) - 1)),
            std::string::npos)
      << status.error_message();
}

TEST_F(SegmenterServerTest, StreamRejectsOnlyTheBadReport) {
  auto stub = v1::Segmenter::NewStub(channel_);
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stream = stub->SegmentStream(&context);
  const std::vector<v1::Report> reports = {
      PingluoReport("first"), PingluoReport("second"), InvalidUtf8Report("bad"),
      PingluoReport("fourth"), PingluoReport("fifth")};
  // Writes run ahead of the reads, as a batch client would send them.
  std::thread writer([&stream, &reports] {
    for (const v1::Report& report : reports) {
      v1::SegmentStreamRequest request;
      *request.mutable_report() = report;
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  std::vector<v1::SegmentStreamResponse> responses;
  v1::SegmentStreamResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  writer.join();
  const grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();

  ASSERT_EQ(responses.size(), reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    SCOPED_TRACE(reports[i].id());
    if (reports[i].id() == "bad") {
      EXPECT_FALSE(responses[i].has_segmented_report());
      const v1::Receipt& receipt = responses[i].receipt();
      EXPECT_EQ(receipt.report_id(), "bad");
      EXPECT_EQ(receipt.outcome(), v1::RECEIPT_OUTCOME_REJECTED);
      EXPECT_EQ(receipt.status_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_NE(receipt.status_message().find("byte offset"),
                std::string::npos);
    } else {
      EXPECT_FALSE(responses[i].has_receipt());
      EXPECT_EQ(responses[i].segmented_report().report_id(), reports[i].id());
      EXPECT_EQ(responses[i].segmented_report().metadata().region(), "平罗县");
    }
  }
}

TEST_F(SegmenterServerTest, StatsCountReportsAndErrors) {
  auto segmenter = v1::Segmenter::NewStub(channel_);
  for (const v1::Report& report :
       {PingluoReport("good"), InvalidUtf8Report("bad")}) {
    v1::SegmentRequest request;
    *request.mutable_report() = report;
    v1::SegmentResponse response;
    grpc::ClientContext context;
    SetDeadline(&context);
    segmenter->Segment(&context, request, &response);
  }
  auto stats = v1::Stats::NewStub(channel_);
  v1::GetStatsResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  ASSERT_TRUE(stats->GetStats(&context, {}, &response).ok());
  EXPECT_EQ(response.service(), "segmenter");
  EXPECT_EQ(response.reports_in(), 2);
  EXPECT_EQ(response.reports_out(), 1);
  EXPECT_EQ(response.errors(), 1);
  int64_t timed = 0;
  for (const v1::LatencyBucket& bucket : response.latency()) {
    timed += bucket.count();
  }
  EXPECT_EQ(timed, 2);
}

// Started as a single stage (no --extractor), the segmenter has nowhere to
// pass reports on to: the chain's entry point refuses the stream at once
// rather than accepting reports it could never commit.
TEST_F(SegmenterServerTest, SubmitReportsWithoutExtractorIsFailedPrecondition) {
  auto stub = v1::Segmenter::NewStub(channel_);
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stream = stub->SubmitReports(&context);
  v1::SubmitReportsRequest request;
  *request.mutable_report() = PingluoReport("alone");
  stream->Write(request);  // may fail: the server can refuse before reading
  stream->WritesDone();
  v1::SubmitReportsResponse response;
  EXPECT_FALSE(stream->Read(&response)) << "a receipt from a stage that stores nothing";
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_NE(status.error_message().find("--extractor"), std::string::npos)
      << status.error_message();
}

// The test's channel stays connected and idle: a C++ client without a call
// notices the server's GOAWAY only at its backup poll (every 5 s), so the
// server may use its whole grace here. The deadline still ends it.
TEST_F(SegmenterServerTest, SigtermExitsZeroWithAnIdleClient) {
  const std::optional<int> status =
      server_.Terminate(absl::Seconds(kGraceSeconds + 2));
  ASSERT_TRUE(status.has_value()) << "still running after the grace period";
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST_F(SegmenterServerTest, SigtermLetsAStreamInFlightFinish) {
  auto stub = v1::Segmenter::NewStub(channel_);
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stream = stub->SegmentStream(&context);
  v1::SegmentStreamRequest request;
  v1::SegmentStreamResponse response;
  *request.mutable_report() = PingluoReport("before");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));

  // The stream is open when the signal comes: the drain must let it go on.
  ASSERT_EQ(kill(server_.pid(), SIGTERM), 0);
  *request.mutable_report() = PingluoReport("after");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.segmented_report().report_id(), "after");
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());

  const std::optional<int> status =
      server_.Terminate(absl::Seconds(kGraceSeconds + 2));
  ASSERT_TRUE(status.has_value()) << "still running after the grace period";
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

}  // namespace
}  // namespace reportpipe
