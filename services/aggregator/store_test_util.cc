#include "services/aggregator/store_test_util.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/text/content_hash.h"

namespace reportpipe::aggregator::testing {

absl::Status RunAdmin(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  // "drop cascades to …" notices would clutter the test log.
  PQsetNoticeProcessor(
      conn, [](void* /*arg*/, const char* /*message*/) {}, nullptr);
  absl::Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = absl::UnavailableError(
        absl::StrCat("cannot connect to ", url, ": ", PQerrorMessage(conn)));
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK &&
        PQresultStatus(result) != PGRES_TUPLES_OK) {
      status = absl::InternalError(
          absl::StrCat(sql, ": ", PQresultErrorMessage(result)));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return status;
}

namespace {

std::string Quoted(const char* value) {
  std::string quoted = "'";
  for (const char* c = value; *c != '\0'; ++c) {
    if (*c == '\'' || *c == '\\') quoted += '\\';
    quoted += *c;
  }
  return quoted + "'";
}

// `url` as a key=value string (starting with host=, which OpenStore reads as
// PostgreSQL) whose connections use `schema`.
absl::StatusOr<std::string> WithSearchPath(const std::string& url,
                                           const std::string& schema) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    return absl::InvalidArgumentError(
        absl::StrCat(kPostgresUrlVariable, " cannot be parsed: ", message));
  }
  std::string host;
  std::string rest;
  for (PQconninfoOption* option = options; option->keyword != nullptr;
       ++option) {
    const std::string keyword = option->keyword;
    if (option->val == nullptr || keyword == "options") continue;
    if (keyword == "host") {
      host = Quoted(option->val);
    } else {
      absl::StrAppend(&rest, " ", keyword, "=", Quoted(option->val));
    }
  }
  PQconninfoFree(options);
  if (host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kPostgresUrlVariable, " must name a host (or a socket directory)"));
  }
  return absl::StrCat("host=", host, rest, " options='-c search_path=", schema,
                      "'");
}

}  // namespace

std::string BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::string BackendTestName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

void DatabaseOnBackendTest::SetUp() {
  absl::StatusOr<TestStoreLocation> location =
      TestStoreLocation::Create(GetParam());
  ASSERT_TRUE(location.ok()) << location.status().message();
  location_.emplace(*std::move(location));
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase(location_->url());
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = *std::move(db);
}

std::string MissingPostgresMessage() {
  return absl::StrCat(
      kPostgresUrlVariable,
      " is not set, so the PostgreSQL cases cannot run. Run them beside a "
      "throwaway server: `bash tests/run_with_postgres.sh "
      "build-store/bin/store_test --gtest_filter='*Postgres*'` or `ctest -R "
      "store_test_postgres`; or set it to a postgresql:// URL of an empty "
      "database you can create schemas in. Only the SQLite cases: "
      "--gtest_filter='-*Postgres*'.");
}

absl::StatusOr<TestStoreLocation> TestStoreLocation::Create(Backend backend) {
  static std::atomic<int> counter{0};
  const int n = ++counter;
  TestStoreLocation location;
  if (backend == Backend::kSqlite) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "store_test.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return absl::InternalError("cannot make a temporary directory");
    }
    location.directory_ = pattern;
    location.url_ = absl::StrCat(pattern, "/store.db");
    return location;
  }
  const char* base = std::getenv(kPostgresUrlVariable);
  if (base == nullptr || *base == '\0') {
    return absl::FailedPreconditionError(MissingPostgresMessage());
  }
  location.admin_url_ = base;
  location.schema_ = absl::StrCat("store_test_", getpid(), "_", n);
  if (absl::Status status =
          RunAdmin(location.admin_url_,
                   absl::StrCat("CREATE SCHEMA ", location.schema_));
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> url = WithSearchPath(base, location.schema_);
  if (!url.ok()) return url.status();
  location.url_ = *url;
  return location;
}

TestStoreLocation::TestStoreLocation(TestStoreLocation&& other) noexcept
    : url_(std::move(other.url_)),
      directory_(std::exchange(other.directory_, "")),
      admin_url_(std::move(other.admin_url_)),
      schema_(std::exchange(other.schema_, "")) {}

TestStoreLocation::~TestStoreLocation() {
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  if (!schema_.empty()) {
    RunAdmin(admin_url_, absl::StrCat("DROP SCHEMA ", schema_, " CASCADE"))
        .IgnoreError();
  }
}

v1::ExtractedReport MakeReport(const std::string& region, int year,
                               const std::string& text, int metric_count) {
  v1::ExtractedReport extracted;
  v1::SegmentedReport* report = extracted.mutable_report();
  report->set_report_id(absl::StrCat(region, "-", year, "-", text.size()));
  report->set_source(absl::StrCat("https://example.gov.cn/", year, ".html"));
  report->set_text(text);
  report->set_content_hash(text::ContentHash(text));
  v1::ReportMetadata* metadata = report->mutable_metadata();
  metadata->set_region(region);
  metadata->set_year(year);
  metadata->set_report_type(v1::REPORT_TYPE_ANNUAL_REPORT);
  metadata->set_title(absl::StrCat(region, year, "年法治政府建设年度报告"));
  metadata->set_is_law_based_government_report(true);
  metadata->set_classification_reason("title names 法治政府建设年度报告");
  extracted.set_pattern_pack_version("pack-7");
  for (int i = 0; i < metric_count; ++i) {
    *extracted.add_metrics() = MakeMetric(i + year);
  }
  return extracted;
}

v1::Metric MakeMetric(int seed) {
  v1::Metric metric;
  metric.set_indicator(absl::StrCat("行政诉讼案件", seed));
  metric.set_canonical_id(absl::StrCat("litigation.cases_", seed));
  metric.set_value(seed * 1.1 + 0.1);
  metric.set_unit("件");
  metric.set_qualifier(v1::QUALIFIER_MORE_THAN);
  metric.set_kind(v1::METRIC_KIND_CHANGE);
  metric.set_direction(v1::DIRECTION_DOWN);
  metric.mutable_period()->set_kind(v1::PERIOD_KIND_RANGE);
  metric.mutable_period()->set_year(2019);
  metric.mutable_period()->set_end_year(2023);
  metric.mutable_period()->set_text("2019年以来");
  metric.set_section("一/(六)/一是");
  metric.set_sentence(absl::StrCat("全年办理行政诉讼案件", seed, "余件。"));
  metric.mutable_span()->set_start(100 + seed);
  metric.mutable_span()->set_end(4000000000u);
  metric.mutable_sentence_span()->set_start(90);
  metric.mutable_sentence_span()->set_end(200 + seed);
  metric.set_pattern("value.count.more_than");
  metric.set_topic("委托化解案件");
  return metric;
}

}  // namespace reportpipe::aggregator::testing
