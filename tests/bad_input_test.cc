// Bad input through the live chain: one SubmitReports batch mixes good
// reports with every kind of input a scraper or a careless caller sends —
// broken or unlabelled encodings, empty and blank texts, a report far over
// the size limit, a megabyte line, ten thousand headings, binary data, NUL
// bytes, a text without a title, HTML and JSON pages. Each bad one gets a
// REJECTED receipt whose code and message say what is wrong; the good ones
// in the same batch are committed; the three servers stay up and SERVING.
//
// Also: messages over the gRPC limit (from a raw client and from `reportpipe
// submit`), a report whose segment tree outgrows the limit on the next link,
// the per-stream report limit, and SQL in region names and labels.
#include <iconv.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/process/server_process.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "tests/chain_harness.h"

namespace reportpipe::chaintest {
namespace {

using ::reportpipe::process::In;
using ::reportpipe::process::ReadFile;
using ::testing::HasSubstr;

const std::string kRoot = REPORTPIPE_SOURCE_DIR;
const std::string kFixtures = kRoot + "/tests/fixtures/corpus/";
const std::string kPingluo = kRoot + "/../shared/corpus/pingluo-2023.txt";

v1::Report MakeReport(const std::string& id, std::string text,
                      v1::Encoding encoding = v1::ENCODING_UNSPECIFIED) {
  v1::Report report;
  report.set_id(id);
  report.set_text(std::move(text));
  report.set_encoding(encoding);
  return report;
}

// `utf8` in GB18030, by iconv (glibc has the converter).
std::string ToGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* to = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &to, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

std::string Title(const std::string& region) {
  return absl::StrCat(region, "2023年法治政府建设年度报告\n");
}

// What a bad report must get back: its code, and words of its message.
struct Expected {
  grpc::StatusCode code;
  std::vector<std::string> words;
};

class ChainBadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(ReadFile(kPingluo).empty()) << "shared corpus missing: " << kPingluo;
    char dir[] = "/tmp/reportpipe-bad-input.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    chain_ = std::make_unique<Chain>(dir_);
  }

  void TearDown() override {
    chain_.reset();
    // A failed test leaves its logs behind, named in the failure message.
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void StartChain(std::map<Stage, std::vector<std::string>> extra = {}) {
    const absl::Status started = chain_->Start(dir_ + "/store.db", std::move(extra));
    ASSERT_TRUE(started.ok()) << started;
  }

  // Every server still running and SERVING.
  void ExpectServersUp() {
    const absl::Status up = chain_->AllServing();
    EXPECT_TRUE(up.ok()) << up << "; logs in " << dir_;
  }

  std::vector<v1::StoredReport> List(bool history) {
    absl::StatusOr<std::vector<v1::StoredReport>> list = chain_->List(history);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? *list : std::vector<v1::StoredReport>();
  }

  std::string dir_;
  std::unique_ptr<Chain> chain_;
};

TEST_F(ChainBadInputTest, EachBadReportGetsAClearStatusAndTheGoodOnesAreCommitted) {
  ASSERT_NO_FATAL_FAILURE(StartChain());
  std::vector<v1::Report> good;
  for (const char* name : {"qinghe-2021.txt", "qinghe-2022.txt", "qinghe-2023.txt"}) {
    good.push_back(MakeReport(name, ReadFile(kFixtures + name)));
  }
  good.push_back(MakeReport("pingluo-2023.txt", ReadFile(kPingluo)));
  // GB18030 said so: converted on arrival, stored like the rest.
  good.push_back(MakeReport("yunchuan-2023.gb18030",
                            ToGb18030(ReadFile(kFixtures + "yunchuan-2023.txt")),
                            v1::ENCODING_GB18030));
  // A megabyte-long line without punctuation under a title: an odd report,
  // but a report; it must go through in seconds, not stall a stage.
  std::string long_line = Title("测试长行县");
  while (long_line.size() < (1 << 20)) long_line += "法治政府建设持续推进依法行政工作";
  long_line += "\n";
  good.push_back(MakeReport("one-mb-line", long_line));
  // Ten thousand headings: segmented and stored, no limit needed.
  std::string headings = Title("测试标题县") + "一、主要工作\n";
  for (int i = 1; i <= 10000; ++i) {
    absl::StrAppend(&headings, "（", i, "）第", i, "项工作\n推进依法行政。\n");
  }
  good.push_back(MakeReport("ten-thousand-headings", headings));

  const std::string qinghe_2023 = ReadFile(kFixtures + "qinghe-2023.txt");
  std::string with_nul = qinghe_2023;
  with_nul.insert(with_nul.find('\n', with_nul.size() / 2) + 1, std::string("\0\0\0", 3));
  std::mt19937 random(20240601);  // fixed seed: the same bytes every run
  std::string binary(4096, '\0');
  for (char& c : binary) c = static_cast<char>(random() & 0xFF);
  std::string fifty_mb = Title("测试巨大县");
  fifty_mb.resize(50 << 20, 'x');

  std::map<std::string, v1::Report> bad;
  std::map<std::string, Expected> expected;
  auto add = [&](const std::string& id, std::string text, Expected want) {
    bad[id] = MakeReport(id, std::move(text));
    expected[id] = std::move(want);
  };
  add("invalid-utf8", Title("测试坏码县") + "\xff\xfe一、主要工作\n",
      {grpc::StatusCode::INVALID_ARGUMENT, {"not valid UTF-8", "byte offset"}});
  add("gb18030-unlabelled", ToGb18030(qinghe_2023),
      {grpc::StatusCode::INVALID_ARGUMENT, {"not valid UTF-8", "GB18030"}});
  add("empty", "", {grpc::StatusCode::INVALID_ARGUMENT, {"empty"}});
  add("whitespace", " \t\r\n\xE3\x80\x80\xE3\x80\x80\n  \n",
      {grpc::StatusCode::INVALID_ARGUMENT, {"only white space"}});
  add("fifty-mb", fifty_mb,
      {grpc::StatusCode::RESOURCE_EXHAUSTED, {"52428800 bytes", "over the limit"}});
  add("random-binary", binary,
      {grpc::StatusCode::INVALID_ARGUMENT, {"NUL byte", "binary data"}});
  add("nul-bytes", with_nul,
      {grpc::StatusCode::INVALID_ARGUMENT, {"NUL byte", "binary data"}});
  add("no-title", "一、主要工作\n全年办理行政复议案件37件，行政诉讼败诉率为12.5%。\n",
      {grpc::StatusCode::FAILED_PRECONDITION, {"no region or year", "title"}});
  add("html-page",
      "<!DOCTYPE html>\n<html><head><title>青禾县2023年法治政府建设年度报告</title></head>"
      "<body><p>一、主要工作</p><p>全年办理行政复议案件37件。</p></body></html>\n",
      {grpc::StatusCode::INVALID_ARGUMENT, {"HTML page"}});
  add("json-page",
      "{\"title\": \"青禾县2023年法治政府建设年度报告\", \"text\": \"一、主要工作\"}\n",
      {grpc::StatusCode::INVALID_ARGUMENT, {"JSON document"}});

  // Good and bad interleaved: a good one between every two bad ones.
  std::vector<v1::Report> batch;
  auto next_good = good.begin();
  for (const auto& [id, report] : bad) {
    batch.push_back(report);
    if (next_good != good.end()) batch.push_back(*next_good++);
  }
  batch.insert(batch.end(), next_good, good.end());

  const absl::Time start = absl::Now();
  const StreamResult result =
      SubmitReports(LargeMessageChannel(chain_->address(Stage::kSegmenter)), batch,
                    absl::Seconds(120));
  std::cerr << "batch of " << batch.size() << " answered in " << absl::Now() - start << "\n";
  ASSERT_TRUE(result.status.ok()) << result.status.error_message() << "; logs in " << dir_;
  ASSERT_EQ(result.receipts.size(), batch.size());
  const std::map<std::string, v1::Receipt> receipts = ById(result.receipts);
  ASSERT_EQ(receipts.size(), batch.size()) << "a report answered twice";

  for (const auto& [id, want] : expected) {
    const v1::Receipt& r = receipts.at(id);
    std::cerr << id << " -> " << grpc::StatusCode(r.status_code()) << ": " << r.status_message()
              << "\n";
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_REJECTED) << id;
    EXPECT_EQ(r.status_code(), want.code) << id << ": " << r.status_message();
    for (const std::string& word : want.words) {
      EXPECT_THAT(r.status_message(), HasSubstr(word)) << id;
    }
    // A message a person can act on: a sentence, not a code.
    EXPECT_GT(r.status_message().size(), 10u) << id;
  }
  std::set<std::string> good_regions;
  for (const v1::Report& report : good) {
    const v1::Receipt& r = receipts.at(report.id());
    std::cerr << report.id() << " -> " << v1::ReceiptOutcome_Name(r.outcome()) << " "
              << r.region() << " " << r.metric_count() << " metrics\n";
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_COMMITTED)
        << report.id() << ": " << r.status_message();
    EXPECT_EQ(r.status_code(), 0) << report.id();
    good_regions.insert(absl::StrCat(r.region(), r.year()));
  }
  EXPECT_EQ(good_regions,
            (std::set<std::string>{"青禾县2021", "青禾县2022", "青禾县2023", "平罗县2023",
                                   "云川市临水区2023", "测试长行县2023", "测试标题县2023"}));

  ExpectServersUp();
  // The store holds the good reports and nothing else.
  std::set<std::string> stored;
  for (const v1::StoredReport& r : List(/*history=*/true)) {
    EXPECT_TRUE(stored.insert(absl::StrCat(r.region(), r.year())).second) << r.region();
  }
  EXPECT_EQ(stored, good_regions);
  // Each stage counted the rejections it made: nine at the segmenter, and
  // the report without a title at the aggregator.
  absl::StatusOr<v1::GetStatsResponse> segmenter = GetStats(chain_->channel(Stage::kSegmenter));
  ASSERT_TRUE(segmenter.ok()) << segmenter.status();
  EXPECT_EQ(segmenter->errors(), static_cast<int64_t>(bad.size()) - 1);
}

// A message over the gRPC limit (64 MiB by default) never reaches the
// segmenter's code: gRPC ends the whole stream with RESOURCE_EXHAUSTED. The
// receipts already given stand, and the servers stay up.
TEST_F(ChainBadInputTest, AMessageOverTheGrpcLimitEndsTheStreamAndTheServersStayUp) {
  ASSERT_NO_FATAL_FAILURE(StartChain());
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(128 << 20);  // this client would send it
  auto channel = grpc::CreateCustomChannel(chain_->address(Stage::kSegmenter),
                                           grpc::InsecureChannelCredentials(), args);
  std::string huge = Title("测试超限县");
  huge.resize(65 << 20, 'x');
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(60)));
  auto stream = v1::Segmenter::NewStub(channel)->SubmitReports(&context);
  v1::SubmitReportsRequest request;
  *request.mutable_report() = MakeReport("pingluo-2023.txt", ReadFile(kPingluo));
  ASSERT_TRUE(stream->Write(request));
  v1::SubmitReportsResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.receipt().outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  *request.mutable_report() = MakeReport("sixty-five-mib", huge);
  stream->Write(request);  // may fail at once: the server ends the stream
  stream->WritesDone();
  while (stream->Read(&response)) ADD_FAILURE() << "a receipt for " << response.receipt().report_id();
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("larger than max"));
  ExpectServersUp();
  EXPECT_EQ(List(/*history=*/true).size(), 1u);
}

// `reportpipe submit` with a file over the message limit among good ones:
// it used to send it, lose the whole stream to RESOURCE_EXHAUSTED, and send
// it again on every retry, so that the files after it never got through.
// Now the file gets a REJECTED receipt of its own and the rest are stored.
TEST_F(ChainBadInputTest, SubmitRefusesAFileOverTheMessageLimitAndStoresTheRest) {
  ASSERT_NO_FATAL_FAILURE(StartChain());
  const std::string batch = dir_ + "/batch";
  std::filesystem::create_directory(batch);
  ASSERT_TRUE(WriteSyntheticBatch(batch, 20, ShortSyntheticText).ok());
  {
    std::string huge = Title("测试超限县");
    huge.resize(65 << 20, 'x');
    std::ofstream(batch + "/synthetic-10.5.txt") << huge;
  }
  const std::string log = dir_ + "/submit.log";
  ChildProcess submit(Spawn({REPORTPIPE_BIN, "submit", "--max_attempts=3",
                             "--to=" + chain_->address(Stage::kSegmenter), batch},
                            log));
  ASSERT_GT(submit.pid(), 0);
  const std::optional<int> status = submit.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value()) << "submit still running:\n" << Tail(log);
  const std::string summary = ReadFile(log);
  // Exit 1: not everything was stored, and the summary says why.
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1) << summary;
  EXPECT_THAT(summary, HasSubstr("21 reports: 20 committed, 0 already stored, 1 rejected, "
                                 "0 without receipt (1 stream)"));
  EXPECT_THAT(summary, HasSubstr("synthetic-10.5.txt"));
  EXPECT_THAT(summary, HasSubstr("over the message limit"));
  ExpectServersUp();
  EXPECT_EQ(List(/*history=*/true).size(), 20u);
}

// A report under the report limit whose segment tree is over the message
// limit of the next link (a line per sentence makes the tree many times the
// size of the text): refused with its own receipt. Sent on, it would break
// the link to the extractor for the whole stream, and again on every resend.
TEST_F(ChainBadInputTest, ASegmentTreeOverTheNextLinksLimitIsRefusedNotPassedOn) {
  // A small limit on every link, so that the test needs megabytes, not
  // hundreds of them.
  constexpr int kLimit = 4 << 20;
  const std::vector<std::string> limit = {absl::StrCat("--max_message_bytes=", kLimit)};
  ASSERT_NO_FATAL_FAILURE(StartChain(
      {{Stage::kSegmenter, limit}, {Stage::kExtractor, limit}, {Stage::kAggregator, limit}}));
  std::string sentences = Title("测试碎句县") + "一、主要工作\n";
  while (sentences.size() < 3 << 20) sentences += "办。\n";
  std::vector<v1::Report> batch = {
      MakeReport("qinghe-2021.txt", ReadFile(kFixtures + "qinghe-2021.txt")),
      MakeReport("many-sentences", sentences),
      MakeReport("qinghe-2022.txt", ReadFile(kFixtures + "qinghe-2022.txt"))};
  const StreamResult result = SubmitReports(chain_->channel(Stage::kSegmenter), batch);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message() << "; logs in " << dir_;
  const std::map<std::string, v1::Receipt> receipts = ById(result.receipts);
  ASSERT_EQ(receipts.size(), 3u);
  const v1::Receipt& refused = receipts.at("many-sentences");
  EXPECT_EQ(refused.outcome(), v1::RECEIPT_OUTCOME_REJECTED);
  EXPECT_EQ(refused.status_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.status_message(), HasSubstr("over the message limit of 4194304 bytes"));
  EXPECT_EQ(receipts.at("qinghe-2021.txt").outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(receipts.at("qinghe-2022.txt").outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  ExpectServersUp();
}

// --max_reports_per_stream: the first N reports of a stream are answered,
// then the stream ends RESOURCE_EXHAUSTED saying so; `reportpipe submit`
// sends the rest on new streams and stores everything.
TEST_F(ChainBadInputTest, ReportsPerStreamAreLimited) {
  ASSERT_NO_FATAL_FAILURE(StartChain({{Stage::kSegmenter, {"--max_reports_per_stream=5"}}}));
  const StreamResult result = SubmitStream(chain_->channel(Stage::kSegmenter), 8, [](int i) {
    return MakeReport(absl::StrCat("r", i), ShortSyntheticText(i + 1));
  });
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << result.status.error_message();
  EXPECT_THAT(result.status.error_message(), HasSubstr("more than 5 reports"));
  EXPECT_THAT(result.status.error_message(), HasSubstr("new stream"));
  ASSERT_EQ(result.receipts.size(), 5u);
  for (const v1::Receipt& r : result.receipts) {
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_COMMITTED) << r.report_id();
  }
  // Exactly five on one stream is within the limit.
  const StreamResult five = SubmitStream(chain_->channel(Stage::kSegmenter), 5, [](int i) {
    return MakeReport(absl::StrCat("s", i), ShortSyntheticText(i + 100));
  });
  EXPECT_TRUE(five.status.ok()) << five.status.error_message();
  EXPECT_EQ(five.receipts.size(), 5u);

  const std::string batch = dir_ + "/batch";
  std::filesystem::create_directory(batch);
  ASSERT_TRUE(
      WriteSyntheticBatch(batch, 23, [](int i) { return ShortSyntheticText(i + 1000); }).ok());
  const std::string log = dir_ + "/submit.log";
  // Fewer attempts than the five streams the batch needs: a stream that
  // got receipts is progress, not a failed attempt.
  ChildProcess submit(Spawn({REPORTPIPE_BIN, "submit", "--max_attempts=2",
                             "--to=" + chain_->address(Stage::kSegmenter), batch},
                            log));
  ASSERT_GT(submit.pid(), 0);
  const std::optional<int> status = submit.Wait(absl::Seconds(60));
  ASSERT_TRUE(status.has_value()) << "submit still running:\n" << Tail(log);
  const std::string summary = ReadFile(log);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << summary;
  EXPECT_THAT(summary, HasSubstr("23 reports: 23 committed"));
  EXPECT_THAT(summary, HasSubstr("(5 streams)"));
  ExpectServersUp();
  EXPECT_EQ(List(/*history=*/true).size(), 5u + 5u + 23u);
}

// SQL in a region's name and in a metric's label is stored and read back
// as text: every statement binds its parameters.
TEST_F(ChainBadInputTest, SqlInNamesAndLabelsIsStoredAsText) {
  ASSERT_NO_FATAL_FAILURE(StartChain());
  const std::string region = "X'); DROP TABLE metrics; --县";
  // The extractor cuts a label at a semicolon; quotes and SQL it keeps.
  const std::string label = "'OR'1'='1' DROP TABLE metrics --案件";
  v1::Report report = MakeReport(
      "sql", absl::StrCat(Title("测试注入县"), "一、主要工作\n全年办理", label, "37件。\n",
                          "全年办理行政复议案件12件。\n"));
  report.set_region(region);  // a caller may name the region itself
  report.set_year(2023);
  v1::Report quoted = MakeReport("quoted", ShortSyntheticText(7));
  quoted.set_region("O'Brien\"; SELECT 1;县");
  quoted.set_year(2023);
  const StreamResult result =
      SubmitReports(chain_->channel(Stage::kSegmenter),
                    {report, quoted, MakeReport("qinghe-2021.txt",
                                                ReadFile(kFixtures + "qinghe-2021.txt"))});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const std::map<std::string, v1::Receipt> receipts = ById(result.receipts);
  ASSERT_EQ(receipts.size(), 3u);
  for (const auto& [id, r] : receipts) {
    EXPECT_EQ(r.outcome(), v1::RECEIPT_OUTCOME_COMMITTED) << id << ": " << r.status_message();
  }
  EXPECT_EQ(receipts.at("sql").region(), region);

  // Read back intact, and the tables are all still there.
  std::set<std::string> regions;
  for (const v1::StoredReport& r : List(/*history=*/true)) regions.insert(r.region());
  EXPECT_EQ(regions, (std::set<std::string>{region, "O'Brien\"; SELECT 1;县", "青禾县"}));
  v1::CompareRequest request;
  request.set_region(region);
  v1::CompareResponse response;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(30)));
  const grpc::Status compared = v1::Aggregator::NewStub(chain_->channel(Stage::kAggregator))
                                    ->Compare(&context, request, &response);
  ASSERT_TRUE(compared.ok()) << compared.error_message();
  std::set<std::string> indicators;
  for (const v1::ComparisonRow& row : response.rows()) {
    EXPECT_EQ(row.region(), region);
    indicators.insert(row.indicator());
    std::cerr << "stored indicator: " << row.indicator() << "\n";
  }
  EXPECT_EQ(response.rows_size(), 2);
  EXPECT_EQ(indicators, (std::set<std::string>{label, "行政复议案件"}));
  ExpectServersUp();
}

}  // namespace
}  // namespace reportpipe::chaintest
