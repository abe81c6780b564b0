// Helpers for the store tests: a backend to run against (a SQLite file in a
// fresh directory, or a fresh schema in the PostgreSQL database the harness
// gives), and reports and metrics to store.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_TEST_UTIL_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_TEST_UTIL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "reportpipe/v1/metric.pb.h"
#include "services/aggregator/database.h"

namespace reportpipe::aggregator::testing {

enum class Backend { kSqlite, kPostgres };

// The name a parameterised test gets for `backend`.
std::string BackendName(Backend backend);
// The same, as INSTANTIATE_TEST_SUITE_P's name generator.
std::string BackendTestName(const ::testing::TestParamInfo<Backend>& info);

// The variable run_with_postgres.sh sets, and what to tell a person when it
// is missing.
inline constexpr char kPostgresUrlVariable[] = "REPORTPIPE_TEST_POSTGRES_URL";
std::string MissingPostgresMessage();

// A place for one test's store, removed with it: a directory holding
// store.db, or a schema of its own in the test database (libpq's
// search_path option points the store's connections at it).
class TestStoreLocation {
 public:
  static absl::StatusOr<TestStoreLocation> Create(Backend backend);
  TestStoreLocation(TestStoreLocation&& other) noexcept;
  TestStoreLocation& operator=(TestStoreLocation&&) = delete;
  ~TestStoreLocation();

  // The URL to pass to OpenStore.
  const std::string& url() const { return url_; }
  // PostgreSQL: the harness's URL, for statements outside the schema.
  const std::string& admin_url() const { return admin_url_; }

 private:
  TestStoreLocation() = default;

  std::string url_;
  std::string directory_;  // SQLite
  std::string admin_url_;  // PostgreSQL: the harness's URL
  std::string schema_;
};

// A test with a fresh store location on its backend and a Database opened
// on it (not migrated).
class DatabaseOnBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  std::optional<TestStoreLocation> location_;
  std::unique_ptr<Database> db_;
};

// Runs one statement on a connection of its own to `url` (PostgreSQL).
absl::Status RunAdmin(const std::string& url, const std::string& sql);

// A report as the extractor would send it: an annual report of `region` in
// `year` whose text (and so content hash) is `text`, with `metric_count`
// metrics (see MakeMetric).
v1::ExtractedReport MakeReport(const std::string& region, int year,
                               const std::string& text, int metric_count);

// A metric with every field set, distinct for each `seed`.
v1::Metric MakeMetric(int seed);

}  // namespace reportpipe::aggregator::testing

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_TEST_UTIL_H_
