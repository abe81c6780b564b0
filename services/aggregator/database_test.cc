// The Database layer and migrations against both backends, and how opening
// a store fails.
#include "services/aggregator/database.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregator/sqlite_database.h"
#include "services/aggregator/store.h"
#include "services/aggregator/store_migrations.h"
#include "services/aggregator/store_test_util.h"

namespace reportpipe::aggregator {
namespace {

using testing::Backend;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TestStoreLocation;

using DatabaseTest = testing::DatabaseOnBackendTest;

TEST_P(DatabaseTest, NumberedParametersBindTheSameOnBothBackends) {
  ASSERT_TRUE(
      db_->ExecuteScript("CREATE TABLE t (a TEXT NOT NULL, b BIGINT, c DOUBLE "
                         "PRECISION, PRIMARY KEY (a))")
          .ok());
  // $2 before $1 and $1 twice: SQLite must bind by name, not by position.
  ASSERT_TRUE(db_->Execute("INSERT INTO t (c, b, a) VALUES ($3, $2, $1)",
                           {std::string("it's; --"), int64_t{41}, 0.1})
                  .ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO t (a, b, c) VALUES ($1, $2, $3)",
                           {std::string("null"), SqlValue(), SqlValue()})
                  .ok());
  absl::StatusOr<std::vector<SqlRow>> rows = db_->Query(
      "SELECT a, b, c FROM t WHERE b > $2 - 1 AND a = $1 AND b < $2 + 1",
      {std::string("it's; --"), int64_t{41}});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "it's; --");
  EXPECT_EQ((*rows)[0].Int(1), 41);
  EXPECT_EQ((*rows)[0].Double(2), 0.1);

  rows = db_->Query("SELECT b, c FROM t WHERE a = $1", {std::string("null")});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].IsNull(0));
  EXPECT_TRUE((*rows)[0].IsNull(1));
}

// libpq carries doubles as text both ways; nothing may be lost on the way.
TEST_P(DatabaseTest, DoublesRoundTripExactly) {
  ASSERT_TRUE(
      db_->ExecuteScript("CREATE TABLE d (i INTEGER, v DOUBLE PRECISION)")
          .ok());
  const std::vector<double> values = {0.1,
                                      0.1 + 0.2,
                                      1.0 / 3.0,
                                      1e300,
                                      5e-324,
                                      -2.5e-10,
                                      579500,
                                      1e-310,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity()};
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_TRUE(db_->Execute("INSERT INTO d (i, v) VALUES ($1, $2)",
                             {static_cast<int64_t>(i), values[i]})
                    .ok());
  }
  absl::StatusOr<std::vector<SqlRow>> rows =
      db_->Query("SELECT v FROM d ORDER BY i", {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const double back = (*rows)[i].Double(0);
    EXPECT_EQ(std::memcmp(&back, &values[i], sizeof(back)), 0)
        << values[i] << " came back as " << back;
  }
}

TEST_P(DatabaseTest, WrongParameterCountIsAnError) {
  ASSERT_TRUE(db_->ExecuteScript("CREATE TABLE t (a TEXT)").ok());
  absl::Status status = db_->Execute("INSERT INTO t (a) VALUES ($1)",
                                     {std::string("x"), int64_t{2}});
  EXPECT_FALSE(status.ok());
  absl::StatusOr<std::vector<SqlRow>> rows = db_->Query("SELECT a FROM t", {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TRUE(rows->empty());
}

TEST_P(DatabaseTest, RollbackUndoesTheTransaction) {
  ASSERT_TRUE(db_->ExecuteScript("CREATE TABLE t (a TEXT PRIMARY KEY)").ok());
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(
      db_->Execute("INSERT INTO t (a) VALUES ($1)", {std::string("x")}).ok());
  EXPECT_FALSE(
      db_->Execute("INSERT INTO t (a) VALUES ($1)", {std::string("x")}).ok());
  ASSERT_TRUE(db_->Rollback().ok());
  absl::StatusOr<std::vector<SqlRow>> rows = db_->Query("SELECT a FROM t", {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TRUE(rows->empty());
  // The connection is usable after it.
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(
      db_->Execute("INSERT INTO t (a) VALUES ($1)", {std::string("y")}).ok());
  ASSERT_TRUE(db_->Commit().ok());
}

TEST_P(DatabaseTest, FailedMigrationLeavesNothingBehind) {
  std::vector<Migration> migrations = {
      {1, "001_first", "CREATE TABLE first_table (a TEXT);"},
      {2, "002_broken",
       "CREATE TABLE second_table (a TEXT); SELEKT nonsense;"}};
  absl::Status status = Migrate(*db_, migrations);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("migration 002_broken failed"));
  EXPECT_FALSE(db_->Query("SELECT a FROM first_table", {}).ok());

  migrations.pop_back();
  ASSERT_TRUE(Migrate(*db_, migrations).ok());
  ASSERT_TRUE(Migrate(*db_, migrations).ok());
  absl::StatusOr<std::vector<SqlRow>> rows =
      db_->Query("SELECT version, name FROM schema_migrations", {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Int(0), 1);
  EXPECT_EQ((*rows)[0].Text(1), "001_first");
}

TEST_P(DatabaseTest, StoreRecordsEachBuiltInMigrationOnce) {
  absl::StatusOr<std::vector<Migration>> migrations =
      NumberMigrations(EmbeddedMigrations());
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  ASSERT_FALSE(migrations->empty());
  EXPECT_EQ(migrations->front().name, "001_initial");
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(OpenStore(location_->url()).ok());
  }
  absl::StatusOr<std::vector<SqlRow>> rows =
      db_->Query("SELECT version FROM schema_migrations ORDER BY version", {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), migrations->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].Int(0), (*migrations)[i].version);
  }
}

TEST_P(DatabaseTest, StoreRefusesASchemaNewerThanItKnows) {
  ASSERT_TRUE(OpenStore(location_->url()).ok());
  ASSERT_TRUE(
      db_->Execute("INSERT INTO schema_migrations (version, name, "
                   "applied_at) VALUES ($1, $2, $3)",
                   {int64_t{999}, std::string("999_future"), int64_t{0}})
          .ok());
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location_->url());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("version 999, newer"));
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendTestName);

TEST(MigrationNamesTest, NeedNumbersAndDistinctOnes) {
  EXPECT_FALSE(NumberMigrations({{"initial", ""}}).ok());
  EXPECT_FALSE(NumberMigrations({{"001_a", ""}, {"1_b", ""}}).ok());
  absl::StatusOr<std::vector<Migration>> sorted =
      NumberMigrations({{"010_c", ""}, {"002_b", ""}});
  ASSERT_TRUE(sorted.ok());
  EXPECT_EQ((*sorted)[0].version, 2);
  EXPECT_EQ((*sorted)[1].version, 10);
}

class SqliteOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestStoreLocation> location =
        TestStoreLocation::Create(Backend::kSqlite);
    ASSERT_TRUE(location.ok());
    location_.emplace(*std::move(location));
    directory_ = location_->url().substr(0, location_->url().rfind('/'));
  }
  std::optional<TestStoreLocation> location_;
  std::string directory_;
};

TEST_F(SqliteOpenTest, ConnectionIsDurableWalWithForeignKeys) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase("sqlite://" + location_->url());
  ASSERT_TRUE(db.ok()) << db.status();
  for (const auto& [pragma, expected] :
       std::vector<std::pair<std::string, std::string>>{
           {"journal_mode", "wal"},
           {"synchronous", "2"},  // FULL
           {"foreign_keys", "1"},
           {"busy_timeout", "30000"}}) {
    absl::StatusOr<std::vector<SqlRow>> rows =
        (*db)->Query("PRAGMA " + pragma, {});
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Text(0), expected) << pragma;
  }
}

// Checkpoints run on their own thread (SqliteDatabase::StartCheckpointer):
// once the WAL passes its threshold the data reaches the database file while
// the store is still open, as SQLite's automatic checkpoint would do it.
TEST_F(SqliteOpenTest, WalIsCheckpointedIntoTheDatabaseWhileOpen) {
  const std::string path = location_->url();
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(path);
  ASSERT_TRUE(store.ok()) << store.status();
  const auto size_before = std::filesystem::file_size(path);
  // About 8 MB of metrics: well past the 1,000-page (4 MB) threshold.
  for (int i = 0; i < 80; ++i) {
    const v1::ExtractedReport report = testing::MakeReport(
        absl::StrCat("检查点", i, "县"), 2023, absl::StrCat("text ", i), 300);
    absl::StatusOr<std::vector<v1::Receipt>> receipts = (*store)->Commit({&report});
    ASSERT_TRUE(receipts.ok()) << receipts.status();
    ASSERT_EQ((*receipts)[0].outcome(), v1::RECEIPT_OUTCOME_COMMITTED);
  }
  std::uintmax_t size_after = 0;
  for (int attempt = 0; attempt < 200; ++attempt) {  // at most 10 s
    size_after = std::filesystem::file_size(path);
    if (size_after > size_before + (1 << 20)) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_GT(size_after, size_before + (1 << 20))
      << "the database file did not grow: nothing was checkpointed";
}

// The checkpoint's copy gives way to the servers' threads at once: it runs
// in the SCHED_IDLE class (SqliteDatabase::StartCheckpointer).
TEST_F(SqliteOpenTest, CheckpointsRunInTheIdleClass) {
  absl::StatusOr<std::unique_ptr<Database>> opened =
      SqliteDatabase::Open(location_->url());
  ASSERT_TRUE(opened.ok()) << opened.status();
  auto* database = static_cast<SqliteDatabase*>(opened->get());
  ASSERT_TRUE(
      database->ExecuteScript("CREATE TABLE filler (payload BLOB)").ok());
  // About 6 MB: past the 1,000-page (4 MB) threshold.
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(database->Begin().ok());
    ASSERT_TRUE(
        database->ExecuteScript("INSERT INTO filler VALUES (zeroblob(100000))")
            .ok());
    ASSERT_TRUE(database->Commit().ok());
  }
  for (int attempt = 0; attempt < 200; ++attempt) {  // at most 10 s
    if (database->idle_class_checkpoints() > 0) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_GT(database->idle_class_checkpoints(), 0);
}

TEST_F(SqliteOpenTest, MissingDirectoryIsAnErrorNamingThePath) {
  const std::string path = directory_ + "/missing/store.db";
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(std::string(store.status().message()),
              StartsWith("cannot open SQLite store at " + path + ": "));
}

TEST_F(SqliteOpenTest, FileThatIsNoDatabaseIsAnError) {
  const std::string path = directory_ + "/notes.txt";
  std::ofstream(path) << "These are notes, not a database. They are long "
                         "enough to fill a header page of SQLite's.\n";
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(std::string(store.status().message()),
              StartsWith("cannot open SQLite store at " + path + ": "));
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("not a database"));
}

TEST_F(SqliteOpenTest, InMemoryDatabaseIsRefused) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(":memory:");
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("WAL"));
  EXPECT_FALSE(OpenStore("").ok());
  EXPECT_FALSE(OpenStore("sqlite://").ok());
}

TEST(PostgresOpenTest, UnreachableServerIsAnError) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(
      "postgresql:///reportpipe?host=/"
      "nonexistent-socket-dir&connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(store.status().message()),
              StartsWith("cannot connect to PostgreSQL: "));
}

TEST(StoreUrlTest, PicksTheBackendByPrefix) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://host/db"));
  EXPECT_TRUE(IsPostgresUrl("postgres://host/db"));
  EXPECT_TRUE(IsPostgresUrl("host=/tmp dbname=x"));
  EXPECT_FALSE(IsPostgresUrl("/var/lib/reportpipe/store.db"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:///var/lib/store.db"));
  EXPECT_FALSE(IsPostgresUrl("hostile.db"));
}

}  // namespace
}  // namespace reportpipe::aggregator
