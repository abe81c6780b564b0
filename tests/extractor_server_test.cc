// Starts the real extractor_server binary on a loopback port and talks to it
// through gRPC clients: health, reflection, Extract, ExtractStream with a bad
// report in the middle, Stats, a bad configuration, and the drain on SIGTERM.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "reportpipe/v1/extractor.grpc.pb.h"
#include "reportpipe/v1/stats.grpc.pb.h"
#include "services/segmenter/segmenter.h"
#include "lib/process/server_process.h"

namespace reportpipe {
namespace {

using ::reportpipe::process::In;
using ::reportpipe::process::ReadFile;
using ::reportpipe::process::ServerProcess;

constexpr char kCorpusReport[] =
    REPORTPIPE_SOURCE_DIR "/../shared/corpus/pingluo-2023.txt";

v1::SegmentedReport SegmentedPingluo(const std::string& id) {
  v1::Report report;
  report.set_id(id);
  report.set_text(ReadFile(kCorpusReport));
  auto segmented = segmenter::SegmentReport(report, {});
  EXPECT_TRUE(segmented.ok()) << segmented.status();
  return segmented.ok() ? *segmented : v1::SegmentedReport();
}

// A segmented report whose sentence lies outside its text.
v1::SegmentedReport BrokenReport(const std::string& id) {
  v1::SegmentedReport report;
  report.set_report_id(id);
  report.set_text("短");
  v1::Segment* s = report.add_segments();
  s->set_kind(v1::SEGMENT_KIND_SENTENCE);
  s->mutable_span()->set_end(999);
  return report;
}

class ExtractorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Status started =
        server_.Start(EXTRACTOR_SERVER_BIN, {"--grace_seconds=5"});
    ASSERT_TRUE(started.ok()) << started;
  }

  static void SetDeadline(grpc::ClientContext* context) {
    context->set_deadline(In(absl::Seconds(10)));
  }

  ServerProcess server_;
};

TEST_F(ExtractorServerTest, HealthAndReflection) {
  auto health = grpc::health::v1::Health::NewStub(server_.channel());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("reportpipe.v1.Extractor");
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto reflection =
      grpc::reflection::v1alpha::ServerReflection::NewStub(server_.channel());
  grpc::ClientContext rcontext;
  SetDeadline(&rcontext);
  auto stream = reflection->ServerReflectionInfo(&rcontext);
  grpc::reflection::v1alpha::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse listed;
  ASSERT_TRUE(stream->Read(&listed));
  std::vector<std::string> names;
  for (const auto& service : listed.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_NE(std::find(names.begin(), names.end(), "reportpipe.v1.Extractor"),
            names.end());
}

TEST_F(ExtractorServerTest, ExtractFindsTheRealReportsMetrics) {
  auto stub = v1::Extractor::NewStub(server_.channel());
  v1::ExtractRequest request;
  *request.mutable_segmented_report() = SegmentedPingluo("pingluo-2023");
  v1::ExtractResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub->Extract(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::ExtractedReport& extracted = response.extracted_report();
  EXPECT_EQ(extracted.report().report_id(), "pingluo-2023");
  EXPECT_FALSE(extracted.pattern_pack_version().empty());
  const auto has = [&](const std::string& id, double value) {
    return std::any_of(extracted.metrics().begin(), extracted.metrics().end(),
                       [&](const v1::Metric& m) {
                         return m.canonical_id() == id && m.value() == value;
                       });
  };
  EXPECT_TRUE(has("litigation.loss_rate", 21.6));
  EXPECT_TRUE(has("litigation.cases", 148));
  EXPECT_TRUE(has("supervision.npc_suggestions", 39));
  EXPECT_GE(extracted.metrics_size(), 59);
}

TEST_F(ExtractorServerTest, ABrokenReportIsInvalidArgument) {
  auto stub = v1::Extractor::NewStub(server_.channel());
  v1::ExtractRequest request;
  *request.mutable_segmented_report() = BrokenReport("broken");
  v1::ExtractResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  const grpc::Status status = stub->Extract(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("segment 0"), std::string::npos)
      << status.error_message();
}

TEST_F(ExtractorServerTest, StreamRejectsOnlyTheBrokenReportAndCounts) {
  auto stub = v1::Extractor::NewStub(server_.channel());
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stream = stub->ExtractStream(&context);
  const std::vector<v1::SegmentedReport> reports = {
      SegmentedPingluo("a"), BrokenReport("broken"), SegmentedPingluo("c")};
  std::thread writer([&] {
    for (const v1::SegmentedReport& r : reports) {
      v1::ExtractStreamRequest request;
      *request.mutable_segmented_report() = r;
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  std::vector<v1::ExtractStreamResponse> responses;
  v1::ExtractStreamResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  writer.join();
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].extracted_report().report().report_id(), "a");
  EXPECT_EQ(responses[1].receipt().report_id(), "broken");
  // A refused report's answer carries its receipt alone.
  EXPECT_FALSE(responses[1].has_extracted_report());
  EXPECT_EQ(responses[1].receipt().outcome(), v1::RECEIPT_OUTCOME_REJECTED);
  EXPECT_EQ(responses[1].receipt().status_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(responses[2].extracted_report().report().report_id(), "c");

  auto stats = v1::Stats::NewStub(server_.channel());
  v1::GetStatsResponse counters;
  grpc::ClientContext scontext;
  SetDeadline(&scontext);
  ASSERT_TRUE(stats->GetStats(&scontext, {}, &counters).ok());
  EXPECT_EQ(counters.service(), "extractor");
  EXPECT_EQ(counters.reports_in(), 3);
  EXPECT_EQ(counters.reports_out(), 2);
  EXPECT_EQ(counters.errors(), 1);
  EXPECT_EQ(counters.metrics(), 2 * responses[0].extracted_report().metrics_size());
}

TEST_F(ExtractorServerTest, SigtermExitsZero) {
  const std::optional<int> status = server_.Terminate(absl::Seconds(8));
  ASSERT_TRUE(status.has_value()) << "still running after the grace period";
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST(ExtractorServerConfigTest, AMissingConfigStopsTheServerAtStart) {
  ServerProcess server;
  const absl::Status started = server.Start(
      EXTRACTOR_SERVER_BIN, {"--config_dir=/nonexistent/reportpipe"},
      absl::Seconds(10));
  EXPECT_FALSE(started.ok());
  EXPECT_NE(std::string(started.message()).find("exited during start-up"),
            std::string::npos)
      << started;
}

}  // namespace
}  // namespace reportpipe
