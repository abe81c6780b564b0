// Rows stored under an older schema survive the migrations after it, on
// both backends. Each case writes the rows an aggregator of that schema
// wrote, by hand, then opens the store, which migrates to the newest.
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregator/database.h"
#include "services/aggregator/store.h"
#include "services/aggregator/store_migrations.h"
#include "services/aggregator/store_test_util.h"

namespace reportpipe::aggregator {
namespace {

using testing::Backend;

constexpr char kRegionA[] = "宁夏回族自治区石嘴山市平罗县";
constexpr char kRegionB[] = "某省某市某区";  // SYNTHETIC

class MigrationTest : public testing::DatabaseOnBackendTest {
 protected:
  // Applies the built-in migrations up to `version` only.
  void MigrateTo(int version) {
    absl::StatusOr<std::vector<Migration>> all =
        NumberMigrations(EmbeddedMigrations());
    ASSERT_TRUE(all.ok()) << all.status();
    std::vector<Migration> some;
    for (const Migration& migration : *all) {
      if (migration.version <= version) some.push_back(migration);
    }
    ASSERT_EQ(some.size(), static_cast<size_t>(version));
    ASSERT_TRUE(Migrate(*db_, some).ok());
  }

  void Run(const std::string& sql, const std::vector<SqlValue>& params) {
    absl::Status status = db_->Execute(sql, params);
    ASSERT_TRUE(status.ok()) << status << "\n" << sql;
  }

  // A version as schema 001 stored it, with metrics whose sentences are
  // `sentences[i]`; metric i has value i + `first_value`.
  void InsertVersion001(const std::string& region, int64_t seq, bool current,
                        const std::string& hash,
                        const std::vector<std::string>& sentences,
                        double first_value) {
    Run("INSERT INTO report_identities (region, year, report_type, "
        "version_count) VALUES ($1, 2023, 1, $2) ON CONFLICT (region, year, "
        "report_type) DO UPDATE SET version_count = $2",
        {region, seq});
    Run("INSERT INTO report_versions (region, year, report_type, "
        "content_hash, commit_seq, is_current, report_id, source, title, "
        "pattern_pack_version, metric_count, committed_at) VALUES ($1, 2023, "
        "1, $2, $3, $4, $5, 'src', 'title', 'pack-1', $6, 1700000000)",
        {region, hash, seq, int64_t{current ? 1 : 0}, "id-" + hash,
         int64_t(sentences.size())});
    for (size_t i = 0; i < sentences.size(); ++i) {
      const double value = first_value + static_cast<double>(i);
      int64_t bits;
      std::memcpy(&bits, &value, sizeof(bits));
      Run("INSERT INTO metrics (region, year, report_type, content_hash, "
          "ordinal, indicator, canonical_id, value, value_bits, unit, "
          "qualifier, kind, direction, period_kind, period_year, "
          "period_end_year, period_text, section, sentence, topic, pattern, "
          "span_start, span_end, sentence_start, sentence_end) VALUES ($1, "
          "2023, 1, $2, $3, '行政诉讼案件', 'litigation.cases', $4, $5, '件', "
          "1, 1, 0, NULL, NULL, NULL, NULL, '一/(一)', $6, '', 'p', $7, $8, "
          "NULL, NULL)",
          {region, hash, int64_t(i), std::isnan(value) ? SqlValue() : value,
           bits, sentences[i], int64_t(10 * i), int64_t(10 * i + 2)});
    }
  }

};

TEST_P(MigrationTest, CompactMetricsCarriesEveryStoredMetricOver) {
  MigrateTo(1);
  ASSERT_TRUE(db_->Begin().ok());
  // Region A: an old version and the current one; metrics 0 and 2 of the
  // current one quote one sentence. Region B: one version.
  InsertVersion001(kRegionA, 1, false, "hash-a1", {"旧句。"}, 7);
  InsertVersion001(kRegionA, 2, true, "hash-a2", {"甲句。", "乙句。", "甲句。"},
                   1);
  InsertVersion001(kRegionB, 1, true, "hash-b1", {"丙句。", "丁句。"}, 20);
  ASSERT_TRUE(db_->Commit().ok());

  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location_->url());
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::vector<StoredMetric>> metrics =
      (*store)->CurrentMetrics({});
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  // Current versions only, ordered by region bytes (宁 E5… before 某 E6…),
  // then ordinal.
  std::vector<std::string> seen;
  for (const StoredMetric& stored : *metrics) {
    seen.push_back(stored.content_hash + ":" + std::to_string(stored.ordinal) +
                   ":" + stored.metric.sentence() + ":" +
                   std::to_string(static_cast<int>(stored.metric.value())));
    EXPECT_EQ(stored.metric.span().end() - stored.metric.span().start(), 2u);
    EXPECT_EQ(stored.metric.canonical_id(), "litigation.cases");
  }
  EXPECT_THAT(seen, ::testing::ElementsAre(
                        "hash-a2:0:甲句。:1", "hash-a2:1:乙句。:2",
                        "hash-a2:2:甲句。:3", "hash-b1:0:丙句。:20",
                        "hash-b1:1:丁句。:21"));

  absl::StatusOr<std::vector<v1::StoredReport>> history =
      (*store)->ListReports(kRegionA, /*include_history=*/true);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].content_hash(), "hash-a1");
  EXPECT_FALSE((*history)[0].current());
  EXPECT_EQ((*history)[0].metric_count(), 1);

  // Sentences are kept once per version: 1 + 2 + 2.
  absl::StatusOr<std::vector<SqlRow>> count =
      db_->Query("SELECT COUNT(*) FROM version_sentences", {});
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ((*count)[0].Int(0), 5);

  // New identities take numbers after the carried-over ones, and a new
  // version of a carried-over identity becomes its current one.
  v1::ExtractedReport fresh = testing::MakeReport("新的地区", 2024, "正文", 2);
  v1::ExtractedReport next_a = testing::MakeReport(kRegionA, 2023, "新版", 1);
  absl::StatusOr<std::vector<v1::Receipt>> receipts =
      (*store)->Commit({&fresh, &next_a});
  ASSERT_TRUE(receipts.ok()) << receipts.status();
  for (const v1::Receipt& receipt : *receipts) {
    EXPECT_EQ(receipt.outcome(), v1::RECEIPT_OUTCOME_COMMITTED)
        << receipt.ShortDebugString();
  }
  absl::StatusOr<std::vector<SqlRow>> numbers = db_->Query(
      "SELECT identity_id FROM report_identities ORDER BY identity_id", {});
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  ASSERT_EQ(numbers->size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*numbers)[i].Int(0), i + 1);
  absl::StatusOr<std::vector<StoredMetric>> region_a =
      (*store)->CurrentMetrics({kRegionA, 0, 0});
  ASSERT_TRUE(region_a.ok()) << region_a.status();
  ASSERT_EQ(region_a->size(), 1u);
  EXPECT_EQ(region_a->front().metric.sentence(),
            next_a.metrics(0).sentence());
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace reportpipe::aggregator
