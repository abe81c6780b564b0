// The store's behaviour, the same cases against SQLite and PostgreSQL.
#include "services/aggregator/store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "lib/text/content_hash.h"
#include "services/aggregator/database.h"
#include "services/aggregator/store_test_util.h"

namespace reportpipe::aggregator {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using testing::Backend;
using ::testing::HasSubstr;
using testing::MakeMetric;
using testing::MakeReport;
using testing::TestStoreLocation;

MetricQuery Select(const std::string& region, int from_year = 0,
                   int to_year = 0) {
  MetricQuery query;
  query.region = region;
  query.from_year = from_year;
  query.to_year = to_year;
  return query;
}

uint64_t Bits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    absl::StatusOr<TestStoreLocation> location =
        TestStoreLocation::Create(GetParam());
    ASSERT_TRUE(location.ok()) << location.status().message();
    location_.emplace(*std::move(location));
  }

  std::unique_ptr<Store> Open() {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location_->url());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  static std::vector<v1::Receipt> CommitOk(
      Store& store, const std::vector<const v1::ExtractedReport*>& reports) {
    absl::StatusOr<std::vector<v1::Receipt>> receipts = store.Commit(reports);
    EXPECT_TRUE(receipts.ok()) << receipts.status();
    if (!receipts.ok()) return {};
    EXPECT_EQ(receipts->size(), reports.size());
    return *receipts;
  }

  static std::vector<v1::StoredReport> List(Store& store,
                                            const std::string& region,
                                            bool history) {
    absl::StatusOr<std::vector<v1::StoredReport>> reports =
        store.ListReports(region, history);
    EXPECT_TRUE(reports.ok()) << reports.status();
    return reports.ok() ? *reports : std::vector<v1::StoredReport>();
  }

  static std::vector<StoredMetric> Metrics(Store& store,
                                           const MetricQuery& query = {}) {
    absl::StatusOr<std::vector<StoredMetric>> metrics =
        store.CurrentMetrics(query);
    EXPECT_TRUE(metrics.ok()) << metrics.status();
    return metrics.ok() ? *metrics : std::vector<StoredMetric>();
  }

  std::optional<TestStoreLocation> location_;
};

TEST_P(StoreTest, CommitsAndReadsBackEveryField) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport report = MakeReport("平罗县", 2023, "报告正文", 0);
  report.mutable_report()->mutable_metadata()->set_report_type(
      v1::REPORT_TYPE_SITUATION_REPORT);
  // Every field set; then doubles that a lossy path would change; then a
  // metric without period or spans, whose absence must survive too.
  const std::vector<double> values = {0.1 + 0.2,
                                      579500,
                                      1e300,
                                      5e-324,
                                      -0.0,
                                      1.0 / 3.0,
                                      -2.5e-10,
                                      std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::max()};
  for (size_t i = 0; i < values.size(); ++i) {
    v1::Metric* metric = report.add_metrics();
    *metric = MakeMetric(static_cast<int>(i));
    metric->set_value(values[i]);
  }
  v1::Metric* bare = report.add_metrics();
  bare->set_indicator("败诉率");
  bare->set_value(4.2);
  bare->set_unit("%");

  const int64_t before = absl::ToUnixSeconds(absl::Now());
  std::vector<v1::Receipt> receipts = CommitOk(*store, {&report});
  const int64_t after = absl::ToUnixSeconds(absl::Now());
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(receipts[0].status_code(), 0);
  EXPECT_EQ(receipts[0].report_id(), report.report().report_id());
  EXPECT_EQ(receipts[0].region(), "平罗县");
  EXPECT_EQ(receipts[0].year(), 2023);
  EXPECT_EQ(receipts[0].report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_EQ(receipts[0].content_hash(), text::ContentHash("报告正文"));
  EXPECT_EQ(receipts[0].metric_count(), report.metrics_size());

  std::vector<StoredMetric> metrics = Metrics(*store);
  ASSERT_EQ(metrics.size(), static_cast<size_t>(report.metrics_size()));
  for (int i = 0; i < report.metrics_size(); ++i) {
    const StoredMetric& stored = metrics[i];
    EXPECT_TRUE(MessageDifferencer::Equals(stored.metric, report.metrics(i)))
        << "metric " << i << " came back as " << stored.metric.DebugString()
        << "instead of " << report.metrics(i).DebugString();
    EXPECT_EQ(Bits(stored.metric.value()), Bits(report.metrics(i).value()))
        << "metric " << i << ": " << stored.metric.value();
    EXPECT_EQ(stored.metric.has_period(), report.metrics(i).has_period());
    EXPECT_EQ(stored.metric.has_span(), report.metrics(i).has_span());
    EXPECT_EQ(stored.region, "平罗县");
    EXPECT_EQ(stored.report_year, 2023);
    EXPECT_EQ(stored.report_type, v1::REPORT_TYPE_SITUATION_REPORT);
    EXPECT_EQ(stored.report_id, report.report().report_id());
    EXPECT_EQ(stored.source, report.report().source());
    EXPECT_EQ(stored.content_hash, receipts[0].content_hash());
    EXPECT_EQ(stored.ordinal, i);
  }

  std::vector<v1::StoredReport> listed = List(*store, "", false);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].report_id(), report.report().report_id());
  EXPECT_EQ(listed[0].region(), "平罗县");
  EXPECT_EQ(listed[0].year(), 2023);
  EXPECT_EQ(listed[0].report_type(), v1::REPORT_TYPE_SITUATION_REPORT);
  EXPECT_EQ(listed[0].content_hash(), receipts[0].content_hash());
  EXPECT_TRUE(listed[0].current());
  EXPECT_EQ(listed[0].metric_count(), report.metrics_size());
  EXPECT_GE(listed[0].committed_at(), before);
  EXPECT_LE(listed[0].committed_at(), after);
}

TEST_P(StoreTest, NanValueReadsBackAsNan) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport report = MakeReport("平罗县", 2023, "正文", 1);
  report.mutable_metrics(0)->set_value(
      std::numeric_limits<double>::quiet_NaN());
  CommitOk(*store, {&report});
  std::vector<StoredMetric> metrics = Metrics(*store);
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_TRUE(std::isnan(metrics[0].metric.value()));
}

TEST_P(StoreTest, ContentHashIsComputedWhenMissing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport report = MakeReport("平罗县", 2023, "没有哈希的正文", 1);
  report.mutable_report()->clear_content_hash();
  std::vector<v1::Receipt> receipts = CommitOk(*store, {&report});
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].content_hash(), text::ContentHash("没有哈希的正文"));
  // The same text with its hash given is the same version.
  v1::ExtractedReport hashed = MakeReport("平罗县", 2023, "没有哈希的正文", 1);
  receipts = CommitOk(*store, {&hashed});
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_DUPLICATE);
}

TEST_P(StoreTest, SameVersionAgainIsDuplicateAndChangesNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport report = MakeReport("平罗县", 2023, "正文", 3);
  ASSERT_EQ(CommitOk(*store, {&report})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);
  const std::vector<v1::StoredReport> first = List(*store, "", true);

  // Same version, other metrics: still nothing changes.
  v1::ExtractedReport again = report;
  again.mutable_metrics()->RemoveLast();
  std::vector<v1::Receipt> receipts = CommitOk(*store, {&again});
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_DUPLICATE);
  EXPECT_EQ(receipts[0].status_code(), 0);
  EXPECT_EQ(receipts[0].metric_count(), 3);
  EXPECT_EQ(receipts[0].content_hash(), report.report().content_hash());

  const std::vector<v1::StoredReport> second = List(*store, "", true);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(first[0], second[0]));
  EXPECT_EQ(Metrics(*store).size(), 3u);
}

TEST_P(StoreTest, SameVersionTwiceInOneBatchIsStoredOnce) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport report = MakeReport("平罗县", 2023, "正文", 2);
  std::vector<v1::Receipt> receipts = CommitOk(*store, {&report, &report});
  ASSERT_EQ(receipts.size(), 2u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(receipts[1].outcome(), v1::RECEIPT_OUTCOME_DUPLICATE);
  EXPECT_EQ(List(*store, "", true).size(), 1u);
  EXPECT_EQ(Metrics(*store).size(), 2u);
}

TEST_P(StoreTest, NewVersionBecomesCurrentAndHistoryKeepsTheOld) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport v1 = MakeReport("平罗县", 2023, "初版", 2);
  v1::ExtractedReport v2 = MakeReport("平罗县", 2023, "更正版", 3);
  v2.mutable_metrics(0)->set_indicator("更正后的指标");
  ASSERT_EQ(CommitOk(*store, {&v1})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);
  ASSERT_EQ(CommitOk(*store, {&v2})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);

  std::vector<v1::StoredReport> current = List(*store, "平罗县", false);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0].content_hash(), v2.report().content_hash());
  EXPECT_TRUE(current[0].current());

  std::vector<v1::StoredReport> history = List(*store, "平罗县", true);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].content_hash(), v1.report().content_hash());
  EXPECT_FALSE(history[0].current());
  EXPECT_EQ(history[0].metric_count(), 2);
  EXPECT_EQ(history[1].content_hash(), v2.report().content_hash());
  EXPECT_TRUE(history[1].current());

  std::vector<StoredMetric> metrics = Metrics(*store);
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[0].metric.indicator(), "更正后的指标");
  for (const StoredMetric& metric : metrics) {
    EXPECT_EQ(metric.content_hash, v2.report().content_hash());
  }
}

TEST_P(StoreTest, TwoVersionsInOneBatchLeaveTheLaterCurrent) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport v1 = MakeReport("平罗县", 2023, "初版", 1);
  v1::ExtractedReport v2 = MakeReport("平罗县", 2023, "更正版", 1);
  std::vector<v1::Receipt> receipts = CommitOk(*store, {&v1, &v2});
  ASSERT_EQ(receipts.size(), 2u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(receipts[1].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  std::vector<v1::StoredReport> history = List(*store, "", true);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_FALSE(history[0].current());
  EXPECT_EQ(history[1].content_hash(), v2.report().content_hash());
  EXPECT_TRUE(history[1].current());
}

TEST_P(StoreTest, OldVersionSentAgainIsDuplicateAndDoesNotRegress) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport v1 = MakeReport("平罗县", 2023, "初版", 1);
  v1::ExtractedReport v2 = MakeReport("平罗县", 2023, "更正版", 2);
  CommitOk(*store, {&v1});
  CommitOk(*store, {&v2});
  std::vector<v1::Receipt> receipts = CommitOk(*store, {&v1});
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_DUPLICATE);
  EXPECT_EQ(receipts[0].metric_count(), 1);

  std::vector<v1::StoredReport> history = List(*store, "", true);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].content_hash(), v2.report().content_hash());
  EXPECT_TRUE(history[1].current());
  EXPECT_FALSE(history[0].current());
  EXPECT_EQ(Metrics(*store).size(), 2u);
}

TEST_P(StoreTest, RejectedReportsDoNotBlockTheOthersInTheirBatch) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport first = MakeReport("平罗县", 2023, "一", 1);
  v1::ExtractedReport no_region = MakeReport("", 2023, "二", 1);
  no_region.mutable_report()->set_report_id("untitled.txt");
  v1::ExtractedReport no_year = MakeReport("惠农区", 0, "三", 1);
  v1::ExtractedReport look_alike = MakeReport("惠农区", 2023, "四", 1);
  v1::ReportMetadata* metadata =
      look_alike.mutable_report()->mutable_metadata();
  metadata->set_report_type(v1::REPORT_TYPE_INFORMATION_DISCLOSURE);
  metadata->set_is_law_based_government_report(false);
  metadata->set_classification_reason("title names 政府信息公开工作年度报告");
  v1::ExtractedReport bad_text = MakeReport("惠农区", 2022, "五", 1);
  bad_text.mutable_metrics(0)->set_sentence("\xff\xfe not UTF-8");
  v1::ExtractedReport last = MakeReport("大武口区", 2023, "六", 2);

  std::vector<v1::Receipt> receipts = CommitOk(
      *store,
      {&first, &no_region, &no_year, &look_alike, &bad_text, nullptr, &last});
  ASSERT_EQ(receipts.size(), 7u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(receipts[6].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(receipts[i].outcome(), v1::RECEIPT_OUTCOME_REJECTED) << i;
    EXPECT_EQ(receipts[i].metric_count(), 0) << i;
  }
  EXPECT_EQ(receipts[1].status_code(), 9);  // FAILED_PRECONDITION
  EXPECT_EQ(receipts[1].report_id(), "untitled.txt");
  EXPECT_THAT(receipts[1].status_message(),
              HasSubstr("report \"untitled.txt\" has no region: its title "
                        "could not be read; send region and year"));
  EXPECT_EQ(receipts[2].status_code(), 9);
  EXPECT_THAT(receipts[2].status_message(), HasSubstr("has no year"));
  EXPECT_EQ(receipts[3].status_code(), 9);
  EXPECT_THAT(receipts[3].status_message(),
              HasSubstr("REPORT_TYPE_INFORMATION_DISCLOSURE"));
  EXPECT_THAT(receipts[3].status_message(),
              HasSubstr("title names 政府信息公开工作年度报告"));
  EXPECT_EQ(receipts[3].region(), "惠农区");
  EXPECT_EQ(receipts[3].report_type(), v1::REPORT_TYPE_INFORMATION_DISCLOSURE);
  EXPECT_EQ(receipts[4].status_code(), 3);  // INVALID_ARGUMENT
  EXPECT_THAT(receipts[4].status_message(), HasSubstr("metric 1 sentence"));
  EXPECT_EQ(receipts[5].status_code(), 3);

  std::vector<v1::StoredReport> stored = List(*store, "", true);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].region(), "大武口区");
  EXPECT_EQ(stored[1].region(), "平罗县");
  EXPECT_TRUE(List(*store, "惠农区", true).empty());
  EXPECT_EQ(Metrics(*store).size(), 3u);

  // A batch of nothing but rejects is answered too.
  receipts = CommitOk(*store, {&look_alike});
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_REJECTED);
}

// Metrics of one sentence share it, and the store checks a shared sentence
// once: a later metric whose sentence differs must still be checked, and
// every field names the metric it is in.
TEST_P(StoreTest, EveryMetricsTextIsCheckedWhenSentencesRepeat) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport nul_later = MakeReport("平罗县", 2023, "一", 3);
  nul_later.mutable_metrics(0)->set_sentence("共办理案件12件。");
  nul_later.mutable_metrics(1)->set_sentence("共办理案件12件。");
  nul_later.mutable_metrics(2)->set_sentence(
      std::string("共办理案件12件\0。", 24));
  v1::ExtractedReport bad_unit = MakeReport("惠农区", 2023, "二", 3);
  bad_unit.mutable_metrics(1)->set_unit("\xe4\xbb");  // 件 cut short
  v1::ExtractedReport shared = MakeReport("大武口区", 2023, "三", 3);
  for (v1::Metric& m : *shared.mutable_metrics())
    m.set_sentence("共办理案件12件。");

  std::vector<v1::Receipt> receipts =
      CommitOk(*store, {&nul_later, &bad_unit, &shared});
  ASSERT_EQ(receipts.size(), 3u);
  EXPECT_EQ(receipts[0].outcome(), v1::RECEIPT_OUTCOME_REJECTED);
  EXPECT_THAT(receipts[0].status_message(),
              HasSubstr("metric 3 sentence contains a NUL byte"));
  EXPECT_EQ(receipts[1].outcome(), v1::RECEIPT_OUTCOME_REJECTED);
  EXPECT_THAT(receipts[1].status_message(), HasSubstr("metric 2 unit"));
  EXPECT_EQ(receipts[2].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  EXPECT_EQ(receipts[2].metric_count(), 3);
}

TEST_P(StoreTest, QuotesAndSqlInTextRoundTrip) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::string region = "平罗县'); DROP TABLE metrics; --";
  v1::ExtractedReport report = MakeReport(region, 2023, "正文", 2);
  report.mutable_report()->set_report_id("id' OR '1'='1");
  report.mutable_report()->set_source("C:\\报告\\\"2023\".txt");
  v1::Metric* metric = report.mutable_metrics(0);
  metric->set_indicator(
      "\"引号\" 'single' `tick` \\ $1 $2 ? ?1 :name @x %s %%");
  metric->set_canonical_id("x'); DELETE FROM report_versions; --");
  metric->set_unit(";");
  metric->set_sentence("line one\nline two\ttab\r\n 全角：“”‘’");
  metric->set_topic("' OR 1=1 --");
  metric->mutable_period()->set_text("E'\\x00'");
  report.mutable_metrics(1)->set_section("/*");
  report.mutable_metrics(1)->set_pattern("*/ SELECT 1;");

  ASSERT_EQ(CommitOk(*store, {&report})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);
  // The tables are all there and the text is back exactly.
  v1::ExtractedReport other = MakeReport("平罗县", 2023, "其他", 1);
  ASSERT_EQ(CommitOk(*store, {&other})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);
  std::vector<StoredMetric> metrics = Metrics(*store, Select(region));
  ASSERT_EQ(metrics.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(
        MessageDifferencer::Equals(metrics[i].metric, report.metrics(i)))
        << metrics[i].metric.DebugString();
    EXPECT_EQ(metrics[i].region, region);
    EXPECT_EQ(metrics[i].report_id, "id' OR '1'='1");
    EXPECT_EQ(metrics[i].source, "C:\\报告\\\"2023\".txt");
  }
  std::vector<v1::StoredReport> listed = List(*store, region, true);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].region(), region);
  EXPECT_EQ(List(*store, "", true).size(), 2u);
  EXPECT_EQ(Metrics(*store).size(), 3u);
  // Sending it again finds it by those same values.
  EXPECT_EQ(CommitOk(*store, {&report})[0].outcome(),
            v1::RECEIPT_OUTCOME_DUPLICATE);
}

// A version's sentences are stored once each and metrics point at them: a
// sentence shared by neighbours, and one that comes back after another,
// must each give every metric its own sentence again.
TEST_P(StoreTest, MetricsSharingSentencesGetEachTheirOwnBack) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::string region = "石嘴山市";
  v1::ExtractedReport report = MakeReport(region, 2023, "共享句子", 6);
  const char* const sentences[] = {"甲句，收案12件。", "甲句，收案12件。",
                                   "乙句。",           "甲句，收案12件。",
                                   "丙句，结案9件。",  "丙句，结案9件。"};
  for (int i = 0; i < 6; ++i) {
    report.mutable_metrics(i)->set_sentence(sentences[i]);
  }
  ASSERT_EQ(CommitOk(*store, {&report})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);
  std::vector<StoredMetric> metrics = Metrics(*store, Select(region));
  ASSERT_EQ(metrics.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(metrics[i].metric.sentence(), sentences[i]) << i;
    EXPECT_TRUE(
        MessageDifferencer::Equals(metrics[i].metric, report.metrics(i)))
        << i;
  }
}

TEST_P(StoreTest, QueriesSelectAndOrderByRegionYearTypeAndOrdinal) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  v1::ExtractedReport a2021 = MakeReport("平罗县", 2021, "a21", 2);
  v1::ExtractedReport a2022 = MakeReport("平罗县", 2022, "a22", 1);
  v1::ExtractedReport a2023 = MakeReport("平罗县", 2023, "a23", 1);
  v1::ExtractedReport a2023work = MakeReport("平罗县", 2023, "a23w", 1);
  a2023work.mutable_report()->mutable_metadata()->set_report_type(
      v1::REPORT_TYPE_WORK_REPORT);
  // Byte order puts "Zeta" (Z = 0x5a) before "alpha" (a = 0x61) before
  // the Chinese names (0xe5…), whatever the database's locale.
  v1::ExtractedReport b2023 = MakeReport("alpha", 2023, "b23", 1);
  v1::ExtractedReport c2023 = MakeReport("Zeta", 2023, "c23", 1);
  CommitOk(*store, {&a2023work, &a2023, &b2023, &a2021, &c2023, &a2022});

  std::vector<StoredMetric> all = Metrics(*store);
  ASSERT_EQ(all.size(), 7u);
  std::vector<std::string> order;
  for (const StoredMetric& metric : all) {
    order.push_back(absl::StrCat(metric.region, " ", metric.report_year, " ",
                                 metric.report_type, " ", metric.ordinal));
  }
  EXPECT_THAT(order, ::testing::ElementsAre(
                         "Zeta 2023 1 0", "alpha 2023 1 0", "平罗县 2021 1 0",
                         "平罗县 2021 1 1", "平罗县 2022 1 0",
                         "平罗县 2023 1 0", "平罗县 2023 3 0"));

  EXPECT_EQ(Metrics(*store, Select("平罗县")).size(), 5u);
  EXPECT_EQ(Metrics(*store, Select("平罗县", 2022)).size(), 3u);
  EXPECT_EQ(Metrics(*store, Select("", 2022, 2022)).size(), 1u);
  EXPECT_EQ(Metrics(*store, Select("", 0, 2021)).size(), 2u);
  EXPECT_TRUE(Metrics(*store, Select("没有")).empty());

  std::vector<v1::StoredReport> listed = List(*store, "", false);
  ASSERT_EQ(listed.size(), 6u);
  EXPECT_EQ(listed[0].region(), "Zeta");
  EXPECT_EQ(listed[1].region(), "alpha");
  EXPECT_EQ(listed[2].year(), 2021);
  EXPECT_EQ(listed[5].report_type(), v1::REPORT_TYPE_WORK_REPORT);
  EXPECT_EQ(List(*store, "alpha", false).size(), 1u);
}

TEST_P(StoreTest, ReopeningLosesNothingAcknowledged) {
  v1::ExtractedReport v1 = MakeReport("平罗县", 2022, "初版", 2);
  v1::ExtractedReport v2 = MakeReport("平罗县", 2022, "更正版", 3);
  v1::ExtractedReport other = MakeReport("惠农区", 2023, "正文", 1);
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    CommitOk(*store, {&v1, &other});
    CommitOk(*store, {&v2});
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<v1::StoredReport> history = List(*store, "", true);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].region(), "平罗县");
  EXPECT_FALSE(history[0].current());
  EXPECT_TRUE(history[1].current());
  EXPECT_EQ(history[1].content_hash(), v2.report().content_hash());
  EXPECT_EQ(history[2].region(), "惠农区");
  EXPECT_EQ(Metrics(*store).size(), 4u);
  EXPECT_EQ(CommitOk(*store, {&v1})[0].outcome(),
            v1::RECEIPT_OUTCOME_DUPLICATE);
}

// A writer killed right after its receipts (no destructor, no close) must
// have made them durable already.
TEST_P(StoreTest, KilledWriterLosesNothingAcknowledged) {
  constexpr int kReports = 5;
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location_->url());
    char acknowledged = 0;
    for (int i = 0; store.ok() && i < kReports; ++i) {
      v1::ExtractedReport report =
          MakeReport("平罗县", 2015 + i, absl::StrCat("正文", i), 2);
      absl::StatusOr<std::vector<v1::Receipt>> receipts =
          (*store)->Commit({&report});
      if (receipts.ok() &&
          (*receipts)[0].outcome() == v1::RECEIPT_OUTCOME_COMMITTED) {
        ++acknowledged;
      }
    }
    if (write(pipe_fds[1], &acknowledged, 1) != 1) _exit(2);
    kill(getpid(), SIGKILL);
    _exit(3);
  }
  close(pipe_fds[1]);
  char acknowledged = -1;
  ASSERT_EQ(read(pipe_fds[0], &acknowledged, 1), 1);
  close(pipe_fds[0]);
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status));
  ASSERT_EQ(acknowledged, kReports);

  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(List(*store, "", true).size(), static_cast<size_t>(kReports));
  EXPECT_EQ(Metrics(*store).size(), static_cast<size_t>(2 * kReports));
}

TEST_P(StoreTest, OpeningTwiceMigratesOnce) {
  v1::ExtractedReport report = MakeReport("平罗县", 2023, "正文", 1);
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    CommitOk(*store, {&report});
  }
  std::unique_ptr<Store> again = Open();
  ASSERT_NE(again, nullptr);
  std::unique_ptr<Store> third = Open();
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(List(*third, "", true).size(), 1u);
  EXPECT_EQ(CommitOk(*again, {&report})[0].outcome(),
            v1::RECEIPT_OUTCOME_DUPLICATE);
}

// Replicas (separate stores, so separate connections) commit versions of one
// identity at once, and the same version at once.
TEST_P(StoreTest, ConcurrentReplicasLeaveOneCurrentVersionAndNoDuplicates) {
  constexpr int kReplicas = 4;
  constexpr int kVersions = 6;
  std::vector<v1::ExtractedReport> versions;
  for (int v = 0; v < kVersions; ++v) {
    versions.push_back(
        MakeReport("平罗县", 2023, absl::StrCat("第", v, "版"), 2));
  }
  // Also batches that hold two identities in opposite orders, which
  // would deadlock if identities were locked in batch order.
  v1::ExtractedReport x = MakeReport("惠农区", 2023, "x", 1);
  v1::ExtractedReport y = MakeReport("大武口区", 2023, "y", 1);

  std::vector<std::unique_ptr<Store>> replicas;
  for (int r = 0; r < kReplicas; ++r) {
    replicas.push_back(Open());
    ASSERT_NE(replicas.back(), nullptr);
  }
  absl::Mutex mu;
  std::map<std::string, std::map<int, int>> outcomes;  // hash → outcome → n
  std::vector<std::string> errors;
  absl::Barrier* start = new absl::Barrier(kReplicas);
  std::vector<std::thread> threads;
  for (int r = 0; r < kReplicas; ++r) {
    threads.emplace_back([&, r] {
      if (start->Block()) delete start;
      for (int round = 0; round < kVersions; ++round) {
        // Each replica walks the versions in its own order, so they clash.
        const v1::ExtractedReport& version =
            versions[(round + r * 5) % kVersions];
        v1::ExtractedReport x_r = x;
        v1::ExtractedReport y_r = y;
        std::vector<const v1::ExtractedReport*> batch = {&version};
        if (r % 2 == 0) {
          batch.insert(batch.end(), {&x_r, &y_r});
        } else {
          batch.insert(batch.end(), {&y_r, &x_r});
        }
        absl::StatusOr<std::vector<v1::Receipt>> receipts =
            replicas[r]->Commit(batch);
        absl::MutexLock lock(&mu);
        if (!receipts.ok()) {
          errors.push_back(std::string(receipts.status().message()));
          continue;
        }
        for (const v1::Receipt& receipt : *receipts) {
          ++outcomes[receipt.content_hash()][receipt.outcome()];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(errors, ::testing::IsEmpty());

  // Every version committed exactly once, every other sending a duplicate.
  for (const v1::ExtractedReport& version : versions) {
    std::map<int, int>& counts = outcomes[version.report().content_hash()];
    EXPECT_EQ(counts[v1::RECEIPT_OUTCOME_COMMITTED], 1);
    EXPECT_EQ(counts[v1::RECEIPT_OUTCOME_DUPLICATE], kReplicas - 1);
  }
  for (const v1::ExtractedReport* report : {&x, &y}) {
    std::map<int, int>& counts = outcomes[report->report().content_hash()];
    EXPECT_EQ(counts[v1::RECEIPT_OUTCOME_COMMITTED], 1);
    EXPECT_EQ(counts[v1::RECEIPT_OUTCOME_DUPLICATE], kReplicas * kVersions - 1);
  }

  std::vector<v1::StoredReport> history = List(*replicas[0], "平罗县", true);
  ASSERT_EQ(history.size(), static_cast<size_t>(kVersions));
  int current = 0;
  std::map<std::string, int> seen;
  for (const v1::StoredReport& report : history) {
    current += report.current() ? 1 : 0;
    ++seen[report.content_hash()];
  }
  EXPECT_EQ(current, 1);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kVersions));
  // The last committed is the current one.
  EXPECT_TRUE(history.back().current());
  std::vector<StoredMetric> metrics = Metrics(*replicas[1], Select("平罗县"));
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].content_hash, history.back().content_hash());
  EXPECT_EQ(List(*replicas[2], "", true).size(),
            static_cast<size_t>(kVersions + 2));
}

// Replicas bringing new identities at once each get numbers of their own
// (store_counters), with no batch failing.
TEST_P(StoreTest, ConcurrentReplicasNumberNewIdentitiesOnce) {
  constexpr int kReplicas = 4;
  constexpr int kRounds = 5;
  constexpr int kPerBatch = 3;
  std::vector<std::unique_ptr<Store>> replicas;
  for (int r = 0; r < kReplicas; ++r) {
    replicas.push_back(Open());
    ASSERT_NE(replicas.back(), nullptr);
  }
  absl::Mutex mu;
  std::vector<std::string> errors;
  int committed = 0;
  absl::Barrier* start = new absl::Barrier(kReplicas);
  std::vector<std::thread> threads;
  for (int r = 0; r < kReplicas; ++r) {
    threads.emplace_back([&, r] {
      if (start->Block()) delete start;
      for (int round = 0; round < kRounds; ++round) {
        std::vector<v1::ExtractedReport> reports;
        for (int k = 0; k < kPerBatch; ++k) {
          reports.push_back(MakeReport(
              absl::StrCat("区", r, "-", round, "-", k), 2023, "正文", 1));
        }
        std::vector<const v1::ExtractedReport*> batch;
        for (const v1::ExtractedReport& report : reports) {
          batch.push_back(&report);
        }
        absl::StatusOr<std::vector<v1::Receipt>> receipts =
            replicas[r]->Commit(batch);
        absl::MutexLock lock(&mu);
        if (!receipts.ok()) {
          errors.push_back(std::string(receipts.status().message()));
          continue;
        }
        for (const v1::Receipt& receipt : *receipts) {
          committed += receipt.outcome() == v1::RECEIPT_OUTCOME_COMMITTED;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(errors, ::testing::IsEmpty());
  EXPECT_EQ(committed, kReplicas * kRounds * kPerBatch);

  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase(location_->url());
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::vector<SqlRow>> counts = (*db)->Query(
      "SELECT COUNT(*), COUNT(DISTINCT identity_id), MIN(identity_id) "
      "FROM report_identities",
      {});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ((*counts)[0].Int(0), kReplicas * kRounds * kPerBatch);
  EXPECT_EQ((*counts)[0].Int(1), kReplicas * kRounds * kPerBatch);
  EXPECT_GT((*counts)[0].Int(2), 0);
  EXPECT_EQ(Metrics(*replicas[0]).size(),
            static_cast<size_t>(kReplicas * kRounds * kPerBatch));
}

// One store shared by threads (as the service's reader and writer may be).
TEST_P(StoreTest, OneStoreIsSafeAcrossThreads) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kReports = 5;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReports; ++i) {
        v1::ExtractedReport report =
            MakeReport(absl::StrCat("区", t), 2010 + i, "正文", 1);
        absl::StatusOr<std::vector<v1::Receipt>> receipts =
            store->Commit({&report});
        if (!receipts.ok() ||
            (*receipts)[0].outcome() != v1::RECEIPT_OUTCOME_COMMITTED ||
            !store->CurrentMetrics({}).ok() ||
            !store->ListReports("", true).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(List(*store, "", true).size(),
            static_cast<size_t>(kThreads * kReports));
}

// A batch the size the service groups under load: one transaction, all of
// it stored (and how long it takes, for the log).
TEST_P(StoreTest, LargeBatchIsStoredWhole) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kReports = 64;
  constexpr int kMetrics = 60;
  std::vector<v1::ExtractedReport> reports;
  for (int i = 0; i < kReports; ++i) {
    reports.push_back(MakeReport(absl::StrCat("区", i % 8), 2016 + i / 8,
                                 absl::StrCat("正文", i), kMetrics));
  }
  std::vector<const v1::ExtractedReport*> batch;
  for (const v1::ExtractedReport& report : reports) batch.push_back(&report);
  const absl::Time start = absl::Now();
  std::vector<v1::Receipt> receipts = CommitOk(*store, batch);
  const absl::Duration took = absl::Now() - start;
  std::cout << kReports << " reports of " << kMetrics << " metrics in "
            << absl::FormatDuration(took) << "\n";
  ASSERT_EQ(receipts.size(), static_cast<size_t>(kReports));
  for (const v1::Receipt& receipt : receipts) {
    EXPECT_EQ(receipt.outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  }
  EXPECT_EQ(Metrics(*store).size(), static_cast<size_t>(kReports * kMetrics));
  // Every metric back in its place across the multi-row statements' chunks.
  const std::vector<StoredMetric> first = Metrics(*store, Select("区0", 2016, 2016));
  ASSERT_EQ(first.size(), static_cast<size_t>(kMetrics));
  for (int i = 0; i < kMetrics; ++i) {
    EXPECT_EQ(first[i].ordinal, i);
    EXPECT_TRUE(
        MessageDifferencer::Equals(first[i].metric, reports[0].metrics(i)))
        << i << ": " << first[i].metric.ShortDebugString();
  }
}

// An error mid-batch (here a trigger refusing one metric) stores nothing of
// the batch, not even the reports before it.
TEST_P(StoreTest, FailedBatchStoresNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(location_->url());
  ASSERT_TRUE(db.ok()) << db.status();
  const std::string trigger =
      GetParam() == Backend::kSqlite
          ? "CREATE TRIGGER boom BEFORE INSERT ON metrics "
            "WHEN NEW.indicator = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom'); END;"
          : "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF NEW.indicator = 'boom' THEN RAISE EXCEPTION 'boom'; "
            "END IF; RETURN NEW; END $$; "
            "CREATE TRIGGER boom BEFORE INSERT ON metrics FOR EACH ROW "
            "EXECUTE FUNCTION boom();";
  ASSERT_TRUE((*db)->ExecuteScript(trigger).ok());

  v1::ExtractedReport good = MakeReport("平罗县", 2023, "正文", 2);
  v1::ExtractedReport bad = MakeReport("惠农区", 2023, "正文", 3);
  bad.mutable_metrics(2)->set_indicator("boom");
  absl::StatusOr<std::vector<v1::Receipt>> receipts =
      store->Commit({&good, &bad});
  ASSERT_FALSE(receipts.ok());
  EXPECT_THAT(std::string(receipts.status().message()),
              HasSubstr("none of it was stored"));
  EXPECT_THAT(std::string(receipts.status().message()), HasSubstr("boom"));
  EXPECT_TRUE(List(*store, "", true).empty());
  EXPECT_TRUE(Metrics(*store).empty());
  // The store goes on working.
  EXPECT_EQ(CommitOk(*store, {&good})[0].outcome(),
            v1::RECEIPT_OUTCOME_COMMITTED);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace reportpipe::aggregator

namespace reportpipe::aggregator {
namespace {

// The server drops the connection between batches (a restart, a failover):
// the next batch reconnects instead of failing.
TEST(PostgresReconnectTest, DroppedConnectionIsReestablished) {
  absl::StatusOr<TestStoreLocation> location =
      TestStoreLocation::Create(Backend::kPostgres);
  ASSERT_TRUE(location.ok()) << location.status().message();
  const std::string name = absl::StrCat("store_test_reconnect_", getpid());
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenStore(absl::StrCat(location->url(), " application_name=", name));
  ASSERT_TRUE(store.ok()) << store.status();
  v1::ExtractedReport first = MakeReport("平罗县", 2022, "一", 1);
  ASSERT_TRUE((*store)->Commit({&first}).ok());

  absl::Status terminated = testing::RunAdmin(
      location->admin_url(),
      absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE application_name = '",
                   name, "'"));
  ASSERT_TRUE(terminated.ok()) << terminated;
  v1::ExtractedReport second = MakeReport("平罗县", 2023, "二", 1);
  absl::StatusOr<std::vector<v1::Receipt>> receipts =
      (*store)->Commit({&second});
  ASSERT_TRUE(receipts.ok()) << receipts.status();
  EXPECT_EQ((*receipts)[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  absl::StatusOr<std::vector<v1::StoredReport>> listed =
      (*store)->ListReports("", true);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), 2u);
}

// The same for the connection queries use: the first query after the
// server dropped it used to fail (UNAVAILABLE) although the server was up.
TEST(PostgresReconnectTest, FirstQueryAfterADroppedConnectionSucceeds) {
  absl::StatusOr<TestStoreLocation> location =
      TestStoreLocation::Create(Backend::kPostgres);
  ASSERT_TRUE(location.ok()) << location.status().message();
  const std::string name = absl::StrCat("store_test_query_reconnect_", getpid());
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenStore(absl::StrCat(location->url(), " application_name=", name));
  ASSERT_TRUE(store.ok()) << store.status();
  v1::ExtractedReport first = MakeReport("平罗县", 2022, "一", 1);
  ASSERT_TRUE((*store)->Commit({&first}).ok());
  ASSERT_TRUE((*store)->ListReports("", true).ok());

  absl::Status terminated = testing::RunAdmin(
      location->admin_url(),
      absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE application_name = '",
                   name, "'"));
  ASSERT_TRUE(terminated.ok()) << terminated;
  absl::StatusOr<std::vector<v1::StoredReport>> listed =
      (*store)->ListReports("", true);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), 1u);
}

}  // namespace
}  // namespace reportpipe::aggregator
