#include "services/aggregator/comparison.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/config/config_loader.h"
#include "lib/text/utf8.h"
#include "services/extractor/extractor.h"
#include "services/segmenter/segmenter.h"

namespace reportpipe::aggregator {
namespace {

const std::string kRoot = REPORTPIPE_SOURCE_DIR;
const std::string kFixtures = kRoot + "/tests/fixtures/corpus/";
const std::string kReal = kRoot + "/../shared/corpus/pingluo-2023.txt";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// What the store would return for these reports: segment and extract each,
// in the store's order (region, year, type, ordinal).
std::vector<StoredMetric> StoredFrom(const std::vector<std::string>& paths) {
  auto config = config::LoadExtractorConfig(kRoot + "/config");
  EXPECT_TRUE(config.ok()) << config.status();
  auto extractor = extractor::Extractor::Create(*config);
  EXPECT_TRUE(extractor.ok()) << extractor.status();
  std::vector<StoredMetric> out;
  for (const std::string& path : paths) {
    v1::Report report;
    report.set_id(path.substr(path.rfind('/') + 1));
    report.set_source(path);
    report.set_text(ReadAll(path));
    auto segmented = segmenter::SegmentReport(report, {});
    EXPECT_TRUE(segmented.ok()) << path << ": " << segmented.status();
    auto extracted = (*extractor)->Extract(*segmented);
    EXPECT_TRUE(extracted.ok()) << extracted.status();
    const v1::ReportMetadata& md = segmented->metadata();
    for (int i = 0; i < extracted->metrics_size(); ++i) {
      StoredMetric s;
      s.metric = extracted->metrics(i);
      s.region = md.region();
      s.report_year = md.year();
      s.report_type = md.report_type();
      s.report_id = report.id();
      s.source = path;
      s.content_hash = segmented->content_hash();
      s.ordinal = i;
      out.push_back(std::move(s));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const StoredMetric& a, const StoredMetric& b) {
    return std::tie(a.region, a.report_year) < std::tie(b.region, b.report_year);
  });
  return out;
}

const Directions& CatalogDirections() {
  static const Directions* d = [] {
    auto config = config::LoadExtractorConfig(kRoot + "/config");
    return new Directions(config->catalog);
  }();
  return *d;
}

std::vector<std::string> AllReports() {
  return {kFixtures + "qinghe-2021.txt", kFixtures + "qinghe-2022.txt",
          kFixtures + "qinghe-2023.txt", kFixtures + "yunchuan-2023.txt", kReal};
}

// The rows of one region and indicator, by year.
std::map<int, v1::ComparisonRow> Rows(const std::vector<StoredMetric>& metrics,
                                      const std::string& region,
                                      const std::string& indicator) {
  v1::CompareRequest request;
  request.set_region(region);
  request.set_indicator(indicator);
  std::map<int, v1::ComparisonRow> out;
  const v1::CompareResponse response = Compare(metrics, request, CatalogDirections());
  for (const v1::ComparisonRow& row : response.rows()) {
    EXPECT_FALSE(out.count(row.year())) << "two rows for " << indicator << " " << row.year();
    out[row.year()] = row;
  }
  return out;
}

TEST(CompareTest, LossRateAcrossThreeYearsWithPreviousAndChange) {
  const auto rows = Rows(StoredFrom(AllReports()), "青禾县", "litigation.loss_rate");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows.at(2021).value(), 21.6);
  EXPECT_EQ(rows.at(2021).previous_year(), 0);
  EXPECT_DOUBLE_EQ(rows.at(2022).value(), 18.5);
  EXPECT_EQ(rows.at(2022).previous_year(), 2021);
  EXPECT_DOUBLE_EQ(rows.at(2022).previous_value(), 21.6);
  EXPECT_DOUBLE_EQ(rows.at(2022).change(), -3.1);
  EXPECT_EQ(rows.at(2022).change_unit(), "pp");
  EXPECT_NEAR(rows.at(2022).change_ratio(), -3.1 / 21.6, 1e-9);
  EXPECT_DOUBLE_EQ(rows.at(2023).value(), 15);
  EXPECT_EQ(rows.at(2023).better(), v1::BETTER_LOWER);
  for (const auto& [year, row] : rows) {
    EXPECT_EQ(row.source(), v1::VALUE_SOURCE_REPORTED);
    EXPECT_EQ(row.ref().report_year(), year) << "each year's own report wins";
    EXPECT_FALSE(row.conflicting()) << "the 2023 series agrees with the reports";
  }
  // The reports' own claims: both right.
  ASSERT_EQ(rows.at(2022).claims_size(), 1);
  EXPECT_EQ(rows.at(2022).claims(0).status(), v1::CLAIM_STATUS_CONSISTENT);
  EXPECT_DOUBLE_EQ(rows.at(2022).claims(0).claimed_change(), -3.1);
  EXPECT_EQ(rows.at(2022).claims(0).unit(), "pp");
  ASSERT_EQ(rows.at(2023).claims_size(), 1);
  EXPECT_EQ(rows.at(2023).claims(0).status(), v1::CLAIM_STATUS_CONSISTENT);
}

TEST(CompareTest, TheDeliberatelyWrongClaimsAreInconsistent) {
  const auto metrics = StoredFrom(AllReports());
  const auto cases = Rows(metrics, "青禾县", "litigation.cases");
  ASSERT_TRUE(cases.count(2023));
  ASSERT_EQ(cases.at(2023).claims_size(), 1);
  const v1::Claim& claim = cases.at(2023).claims(0);
  EXPECT_EQ(claim.status(), v1::CLAIM_STATUS_INCONSISTENT) << claim.text();
  EXPECT_DOUBLE_EQ(claim.claimed_change(), 20);
  EXPECT_NEAR(claim.computed_change(), 25, 1e-9);
  EXPECT_DOUBLE_EQ(claim.previous_value(), 112);
  EXPECT_NE(claim.text().find("20%"), std::string::npos) << claim.text();
  // 2022's claim on the same indicator is right.
  ASSERT_EQ(cases.at(2022).claims_size(), 1);
  EXPECT_EQ(cases.at(2022).claims(0).status(), v1::CLAIM_STATUS_CONSISTENT);

  const auto events = Rows(metrics, "青禾县", "publicity.events");
  ASSERT_TRUE(events.count(2023));
  ASSERT_EQ(events.at(2023).claims_size(), 1);
  EXPECT_EQ(events.at(2023).claims(0).status(), v1::CLAIM_STATUS_INCONSISTENT);
  EXPECT_NEAR(events.at(2023).claims(0).computed_change(), 11.25, 1e-9);
}

// Of all the claims in the three 青禾县 reports, exactly the two written to be
// wrong are flagged (tests/fixtures/corpus/README.md lists them).
TEST(CompareTest, OnlyTheTwoWrongClaimsOfTheSeriesAreFlagged) {
  v1::CompareRequest request;
  request.set_region("青禾县");
  const v1::CompareResponse response =
      Compare(StoredFrom(AllReports()), request, CatalogDirections());
  std::vector<std::string> inconsistent;
  int consistent = 0;
  for (const v1::ComparisonRow& row : response.rows()) {
    for (const v1::Claim& claim : row.claims()) {
      if (claim.status() == v1::CLAIM_STATUS_INCONSISTENT) {
        inconsistent.push_back(row.indicator() + ": " + claim.text());
      }
      consistent += claim.status() == v1::CLAIM_STATUS_CONSISTENT;
    }
  }
  ASSERT_EQ(inconsistent.size(), 2u) << ::testing::PrintToString(inconsistent);
  EXPECT_NE(inconsistent[0].find("20%"), std::string::npos) << inconsistent[0];
  EXPECT_NE(inconsistent[1].find("15%"), std::string::npos) << inconsistent[1];
  EXPECT_GE(consistent, 10);
}

TEST(CompareTest, AClaimWithoutThePreviousYearImpliesIt) {
  const auto rows = Rows(StoredFrom({kReal}), "平罗县", "enforcement.cert_exam_pass_rate");
  ASSERT_EQ(rows.size(), 2u);
  const v1::ComparisonRow& implied = rows.at(2022);
  EXPECT_EQ(implied.source(), v1::VALUE_SOURCE_IMPLIED);
  EXPECT_DOUBLE_EQ(implied.value(), 75.0);
  EXPECT_EQ(implied.ref().report_year(), 2023);
  const v1::ComparisonRow& reported = rows.at(2023);
  EXPECT_EQ(reported.source(), v1::VALUE_SOURCE_REPORTED);
  EXPECT_DOUBLE_EQ(reported.value(), 88.8);
  // An implied value is never taken as a reported previous year.
  EXPECT_EQ(reported.previous_year(), 0);
  ASSERT_EQ(reported.claims_size(), 1);
  EXPECT_EQ(reported.claims(0).status(), v1::CLAIM_STATUS_UNVERIFIABLE);
}

TEST(CompareTest, ASeriesInALaterReportFillsMissingYears) {
  // Without the 2021 report, 2021's loss rate comes from the 2023 series.
  const auto rows = Rows(StoredFrom({kFixtures + "qinghe-2022.txt", kFixtures + "qinghe-2023.txt"}),
                         "青禾县", "litigation.loss_rate");
  ASSERT_TRUE(rows.count(2021));
  EXPECT_DOUBLE_EQ(rows.at(2021).value(), 21.6);
  EXPECT_EQ(rows.at(2021).source(), v1::VALUE_SOURCE_REPORTED);
  EXPECT_EQ(rows.at(2021).ref().report_year(), 2023);
  EXPECT_EQ(rows.at(2022).ref().report_year(), 2022);
  // And the 2022 claim (较上年下降3.1个百分点) is now checked against it.
  ASSERT_EQ(rows.at(2022).claims_size(), 1);
  EXPECT_EQ(rows.at(2022).claims(0).status(), v1::CLAIM_STATUS_CONSISTENT);
}

TEST(CompareTest, CumulativeFiguresNeverEnterAYear) {
  const auto rows = Rows(StoredFrom(AllReports()), "青禾县", "publicity.legal_literate");
  for (const auto& [year, row] : rows) {
    EXPECT_NE(row.value(), 2360) << year << " took the cumulative figure";
  }
}

TEST(CompareTest, TwoSourcesThatDisagreeAreBothKept) {
  std::vector<StoredMetric> metrics = StoredFrom({kReal});
  // A second version of the same year, as read to the people's congress,
  // with a different loss rate.
  std::vector<StoredMetric> other;
  for (StoredMetric s : metrics) {
    if (s.metric.canonical_id() != "litigation.loss_rate") continue;
    s.report_type = v1::REPORT_TYPE_WORK_REPORT;
    s.report_id = "pingluo-2023-npc";
    s.metric.set_value(20.9);
    other.push_back(s);
  }
  ASSERT_EQ(other.size(), 1u);
  metrics.insert(metrics.end(), other.begin(), other.end());
  const auto rows = Rows(metrics, "平罗县", "litigation.loss_rate");
  ASSERT_EQ(rows.size(), 1u);
  const v1::ComparisonRow& row = rows.at(2023);
  EXPECT_TRUE(row.conflicting());
  ASSERT_EQ(row.alternatives_size(), 1);
  EXPECT_DOUBLE_EQ(row.alternatives(0).value(), 20.9);
  EXPECT_EQ(row.alternatives(0).ref().report_id(), "pingluo-2023-npc");
}

// Every report of the corpus at once, the PDF-made one among them (its
// sentences are stored without their line breaks, shorter than their
// spans): every text in the answer is UTF-8, so the answer can be sent.
TEST(CompareTest, EveryTextOfTheAnswerIsUtf8) {
  std::vector<std::string> paths = {kReal};
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
    if (entry.path().extension() == ".txt") paths.push_back(entry.path());
  }
  const std::vector<StoredMetric> metrics = StoredFrom(paths);
  const v1::CompareResponse response =
      Compare(metrics, v1::CompareRequest(), CatalogDirections());
  int claims = 0;
  for (const v1::ComparisonRow& row : response.rows()) {
    for (const v1::Claim& claim : row.claims()) {
      ++claims;
      EXPECT_TRUE(text::ValidateUtf8(claim.text()).ok()) << claim.text();
    }
  }
  EXPECT_GT(claims, 50);
  v1::CompareResponse parsed;
  EXPECT_TRUE(parsed.ParseFromString(response.SerializeAsString()));
}

TEST(CompareRegionsTest, LossRateRankedLowestFirst) {
  v1::CompareRegionsRequest request;
  request.set_indicator("litigation.loss_rate");
  request.set_year(2023);
  const v1::CompareRegionsResponse response =
      CompareRegions(StoredFrom(AllReports()), request, CatalogDirections());
  EXPECT_EQ(response.better(), v1::BETTER_LOWER);
  ASSERT_EQ(response.rows_size(), 3);
  EXPECT_EQ(response.rows(0).region(), "云川市临水区");
  EXPECT_EQ(response.rows(0).rank(), 1);
  EXPECT_EQ(response.rows(1).region(), "青禾县");
  EXPECT_EQ(response.rows(2).region(), "平罗县");
  EXPECT_EQ(response.rows(2).rank(), 3);
  EXPECT_LT(response.rows(0).value(), response.rows(1).value());
}

TEST(CheckRatiosTest, StatedRatesMatchTheirCounts) {
  const std::vector<StoredMetric> pingluo = StoredFrom({kReal});
  const std::vector<v1::RatioCheck> checks = CheckRatios(pingluo);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].indicator(), "化解率");
  EXPECT_DOUBLE_EQ(checks[0].numerator(), 19);
  EXPECT_DOUBLE_EQ(checks[0].denominator(), 37);
  EXPECT_EQ(checks[0].status(), v1::CLAIM_STATUS_CONSISTENT);

  const std::vector<v1::RatioCheck> qinghe = CheckRatios(StoredFrom({kFixtures + "qinghe-2022.txt"}));
  ASSERT_EQ(qinghe.size(), 1u);
  EXPECT_DOUBLE_EQ(qinghe[0].computed_rate(), 55);
  EXPECT_EQ(qinghe[0].status(), v1::CLAIM_STATUS_CONSISTENT);
}

TEST(CheckRatiosTest, AWrongRateIsInconsistent) {
  std::vector<StoredMetric> pingluo = StoredFrom({kReal});
  for (StoredMetric& s : pingluo) {
    if (s.metric.indicator() == "化解率" && s.metric.value() == 51.35) s.metric.set_value(61.35);
  }
  const std::vector<v1::RatioCheck> checks = CheckRatios(pingluo);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status(), v1::CLAIM_STATUS_INCONSISTENT);
  EXPECT_NEAR(checks[0].computed_rate(), 51.3514, 1e-4);
}

}  // namespace
}  // namespace reportpipe::aggregator
