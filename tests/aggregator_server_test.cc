// Starts the real aggregator_server on a loopback port with a real store —
// a SQLite file, or a database of the throwaway PostgreSQL server that
// tests/run_with_postgres.sh starts (REPORTPIPE_TEST_POSTGRES_URL) — and
// drives it as a caller would: ingest the sample reports, compare, check,
// store a corrected version, restart, and read it all back.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/compare_format.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lib/config/config_loader.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"
#include "lib/process/server_process.h"

namespace reportpipe {
namespace {

using ::reportpipe::process::In;
using ::reportpipe::process::ReadFile;
using ::reportpipe::process::ServerProcess;

const std::string kRoot = REPORTPIPE_SOURCE_DIR;
const std::string kFixtures = kRoot + "/tests/fixtures/corpus/";
const std::string kReal = kRoot + "/../shared/corpus/pingluo-2023.txt";

// The backend under test: PostgreSQL when the harness gave a server, else
// SQLite. The ctest names say which; a PostgreSQL run without a server fails.
bool UsePostgres() { return std::getenv("REPORTPIPE_TEST_POSTGRES_URL") != nullptr; }

// A store of its own for each test: a new SQLite file, or a new PostgreSQL
// database on the harness's server.
std::string FreshStore() {
  static int counter = 0;
  const std::string name = absl::StrCat("aggtest_", getpid(), "_", ++counter);
  if (!UsePostgres()) return absl::StrCat(::testing::TempDir(), "/", name, ".db");
  const char* url = std::getenv("REPORTPIPE_TEST_POSTGRES_URL");
  PGconn* admin = PQconnectdb(url);
  EXPECT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
  PGresult* created = PQexec(admin, absl::StrCat("CREATE DATABASE ", name).c_str());
  EXPECT_EQ(PQresultStatus(created), PGRES_COMMAND_OK) << PQerrorMessage(admin);
  PQclear(created);
  // The same server and user, the new database; host first, as OpenStore
  // reads a key=value string by its leading host=.
  std::map<std::string, std::string> keys;
  PQconninfoOption* options = PQconninfo(admin);
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') keys[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  PQfinish(admin);
  std::string conninfo = absl::StrCat("host='", keys["host"], "'");
  for (const char* key : {"port", "user", "password"}) {
    if (keys.count(key)) absl::StrAppend(&conninfo, " ", key, "='", keys[key], "'");
  }
  return absl::StrCat(conninfo, " dbname='", name, "'");
}

std::vector<v1::ExtractedReport> ExtractedReports(const std::vector<std::string>& paths) {
  auto config = config::LoadExtractorConfig(kRoot + "/config");
  EXPECT_TRUE(config.ok()) << config.status();
  auto extractor = extractor::Extractor::Create(*config);
  EXPECT_TRUE(extractor.ok()) << extractor.status();
  std::vector<v1::ExtractedReport> out;
  for (const std::string& path : paths) {
    v1::Report report;
    report.set_id(path.substr(path.rfind('/') + 1));
    report.set_source(path);
    report.set_text(ReadFile(path));
    auto segmented = segmenter::SegmentReport(report, {});
    EXPECT_TRUE(segmented.ok()) << path << ": " << segmented.status();
    auto extracted = (*extractor)->Extract(*segmented);
    EXPECT_TRUE(extracted.ok()) << extracted.status();
    out.push_back(*extracted);
  }
  return out;
}

std::vector<std::string> SampleCorpus() {
  return {kFixtures + "qinghe-2021.txt", kFixtures + "qinghe-2022.txt",
          kFixtures + "qinghe-2023.txt", kFixtures + "yunchuan-2023.txt", kReal};
}

class AggregatorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = FreshStore();
    Start();
  }

  void Start() {
    server_ = std::make_unique<ServerProcess>();
    const absl::Status started = server_->Start(
        AGGREGATOR_SERVER_BIN, {absl::StrCat("--store=", store_), "--grace_seconds=5"});
    ASSERT_TRUE(started.ok()) << started;
    stub_ = v1::Aggregator::NewStub(server_->channel());
  }

  // SIGTERM, a clean exit, and a new server on the same store.
  void Restart() {
    const std::optional<int> status = server_->Terminate(absl::Seconds(10));
    ASSERT_TRUE(status.has_value());
    ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    Start();
  }

  std::vector<v1::Receipt> IngestStream(const std::vector<v1::ExtractedReport>& reports) {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(60)));
    auto stream = stub_->IngestStream(&context);
    std::thread writer([&] {
      for (const v1::ExtractedReport& r : reports) {
        v1::IngestStreamRequest request;
        *request.mutable_extracted_report() = r;
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    std::vector<v1::Receipt> receipts;
    v1::IngestStreamResponse response;
    while (stream->Read(&response)) receipts.push_back(response.receipt());
    writer.join();
    const grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return receipts;
  }

  v1::CompareResponse Compare(const std::string& region, const std::string& indicator) {
    v1::CompareRequest request;
    request.set_region(region);
    request.set_indicator(indicator);
    v1::CompareResponse response;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    const grpc::Status status = stub_->Compare(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::vector<v1::StoredReport> List(bool history) {
    v1::ListReportsRequest request;
    request.set_include_history(history);
    v1::ListReportsResponse response;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    EXPECT_TRUE(stub_->ListReports(&context, request, &response).ok());
    return {response.reports().begin(), response.reports().end()};
  }

  std::string store_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::Aggregator::Stub> stub_;
};

std::map<int, v1::ComparisonRow> ByYear(const v1::CompareResponse& response) {
  std::map<int, v1::ComparisonRow> out;
  for (const v1::ComparisonRow& row : response.rows()) out[row.year()] = row;
  return out;
}

TEST_F(AggregatorServerTest, IngestCompareCheckAndSurviveARestart) {
  std::vector<v1::ExtractedReport> reports = ExtractedReports(SampleCorpus());
  // A look-alike in the middle of the batch, and the real report twice.
  v1::ExtractedReport lookalike = reports.back();
  lookalike.mutable_report()->set_report_id("disclosure-2023");
  lookalike.mutable_report()->set_content_hash("lookalike");
  lookalike.mutable_report()->mutable_metadata()->set_report_type(
      v1::REPORT_TYPE_INFORMATION_DISCLOSURE);
  lookalike.mutable_report()->mutable_metadata()->set_is_law_based_government_report(false);
  reports.insert(reports.begin() + 2, lookalike);
  reports.push_back(reports.back());

  const std::vector<v1::Receipt> receipts = IngestStream(reports);
  ASSERT_EQ(receipts.size(), reports.size());
  std::map<std::string, std::vector<v1::ReceiptOutcome>> outcomes;
  for (const v1::Receipt& r : receipts) outcomes[r.report_id()].push_back(r.outcome());
  EXPECT_EQ(outcomes["qinghe-2021.txt"], (std::vector{v1::RECEIPT_OUTCOME_COMMITTED}));
  EXPECT_EQ(outcomes["disclosure-2023"], (std::vector{v1::RECEIPT_OUTCOME_REJECTED}));
  std::vector<v1::ReceiptOutcome> twice = outcomes["pingluo-2023.txt"];
  std::sort(twice.begin(), twice.end());
  EXPECT_EQ(twice, (std::vector{v1::RECEIPT_OUTCOME_COMMITTED, v1::RECEIPT_OUTCOME_DUPLICATE}));
  for (const v1::Receipt& r : receipts) {
    if (r.report_id() == "disclosure-2023") {
      EXPECT_EQ(r.status_code(), grpc::StatusCode::FAILED_PRECONDITION);
      EXPECT_FALSE(r.status_message().empty());
    } else {
      EXPECT_EQ(r.status_code(), 0) << r.status_message();
      EXPECT_GT(r.metric_count(), 40) << r.report_id();
    }
  }
  EXPECT_EQ(List(false).size(), 5u);

  // Year over year, with the reports' own claims.
  auto loss = ByYear(Compare("青禾县", "litigation.loss_rate"));
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_DOUBLE_EQ(loss[2022].change(), -3.1);
  ASSERT_EQ(loss[2022].claims_size(), 1);
  EXPECT_EQ(loss[2022].claims(0).status(), v1::CLAIM_STATUS_CONSISTENT);
  auto cases = ByYear(Compare("青禾县", "litigation.cases"));
  ASSERT_EQ(cases[2023].claims_size(), 1);
  EXPECT_EQ(cases[2023].claims(0).status(), v1::CLAIM_STATUS_INCONSISTENT);
  auto pass_rate = ByYear(Compare("平罗县", "enforcement.cert_exam_pass_rate"));
  EXPECT_EQ(pass_rate[2022].source(), v1::VALUE_SOURCE_IMPLIED);
  EXPECT_DOUBLE_EQ(pass_rate[2022].value(), 75.0);

  // Across regions, best first.
  v1::CompareRegionsRequest regions;
  regions.set_indicator("litigation.loss_rate");
  regions.set_year(2023);
  v1::CompareRegionsResponse ranked;
  {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    ASSERT_TRUE(stub_->CompareRegions(&context, regions, &ranked).ok());
  }
  ASSERT_EQ(ranked.rows_size(), 3);
  EXPECT_EQ(ranked.better(), v1::BETTER_LOWER);
  EXPECT_EQ(ranked.rows(0).rank(), 1);
  EXPECT_LE(ranked.rows(0).value(), ranked.rows(1).value());

  // A rate checked against its counts within one report.
  v1::CheckReportRequest check;
  check.set_region("平罗县");
  check.set_year(2023);
  v1::CheckReportResponse checked;
  {
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    ASSERT_TRUE(stub_->CheckReport(&context, check, &checked).ok());
  }
  ASSERT_EQ(checked.ratio_checks_size(), 1);
  EXPECT_EQ(checked.ratio_checks(0).status(), v1::CLAIM_STATUS_CONSISTENT);

  // A corrected version replaces the current one; the first stays in the
  // history.
  v1::ExtractedReport corrected = reports.back();
  corrected.mutable_report()->set_content_hash("corrected-version");
  for (v1::Metric& m : *corrected.mutable_metrics()) {
    if (m.canonical_id() == "litigation.loss_rate" && m.value() == 21.6) m.set_value(20.6);
  }
  const std::vector<v1::Receipt> again = IngestStream({corrected});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(List(false).size(), 5u);
  EXPECT_EQ(List(true).size(), 6u);
  EXPECT_DOUBLE_EQ(ByYear(Compare("平罗县", "litigation.loss_rate"))[2023].value(), 20.6);

  // Nothing acknowledged is lost across a restart.
  const v1::CompareResponse before = Compare("", "");
  Restart();
  EXPECT_EQ(List(true).size(), 6u);
  const v1::CompareResponse after = Compare("", "");
  ASSERT_EQ(after.rows_size(), before.rows_size());
  for (int i = 0; i < after.rows_size(); ++i) {
    EXPECT_EQ(after.rows(i).SerializeAsString(), before.rows(i).SerializeAsString()) << i;
  }

  // The analyst's page: self-contained, well-formed, the wrong claim marked.
  const std::string html = cli::FormatComparison(Compare("青禾县", ""), {}, "html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos) << "the page must fetch nothing";
  const std::string path = absl::StrCat(::testing::TempDir(), "/compare-", getpid(), ".html");
  std::ofstream(path) << html;
  const std::string check_page = absl::StrCat(
      "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
      "t = E.parse(sys.argv[1]); ns = '{http://www.w3.org/2000/svg}'; "
      "svgs = [e for e in t.iter() if e.tag in ('svg', ns + 'svg')]; "
      "wrong = [e for e in t.iter() if e.get('class') == 'INCONSISTENT']; "
      "sys.exit(0 if len(svgs) >= 10 and len(wrong) >= 2 else 1)\" ",
      path);
  EXPECT_EQ(std::system(check_page.c_str()), 0) << "the HTML page did not parse or check: " << path;
}

TEST_F(AggregatorServerTest, UnaryIngestIsIdempotent) {
  const std::vector<v1::ExtractedReport> reports = ExtractedReports({kReal});
  for (const v1::ReceiptOutcome want :
       {v1::RECEIPT_OUTCOME_COMMITTED, v1::RECEIPT_OUTCOME_DUPLICATE}) {
    v1::IngestRequest request;
    *request.mutable_extracted_report() = reports[0];
    v1::IngestResponse response;
    grpc::ClientContext context;
    context.set_deadline(In(absl::Seconds(30)));
    ASSERT_TRUE(stub_->Ingest(&context, request, &response).ok());
    EXPECT_EQ(response.receipt().outcome(), want);
    EXPECT_EQ(response.receipt().region(), "平罗县");
    EXPECT_EQ(response.receipt().year(), 2023);
  }
  EXPECT_EQ(List(true).size(), 1u);
}

TEST_F(AggregatorServerTest, QueriesWithMissingFieldsAreInvalidArgument) {
  v1::CompareRegionsRequest request;
  v1::CompareRegionsResponse response;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(10)));
  const grpc::Status status = stub_->CompareRegions(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace reportpipe
