#include "services/aggregator/store_migrations.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace reportpipe::aggregator {
namespace {

absl::Status ApplyMissing(Database& database,
                          const std::vector<Migration>& migrations) {
  if (absl::Status status = database.ExecuteScript(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY,"
          " name TEXT NOT NULL,"
          " applied_at BIGINT NOT NULL)");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<SqlRow>> rows =
      database.Query("SELECT version FROM schema_migrations", {});
  if (!rows.ok()) return rows.status();
  std::set<int64_t> applied;
  for (const SqlRow& row : *rows) applied.insert(row.Int(0));
  const int64_t known = migrations.empty() ? 0 : migrations.back().version;
  if (!applied.empty() && *applied.rbegin() > known) {
    return absl::FailedPreconditionError(
        absl::StrCat("the store's schema is at version ", *applied.rbegin(),
                     ", newer than this aggregator knows (", known,
                     "): run a newer aggregator"));
  }
  for (const Migration& migration : migrations) {
    if (applied.count(migration.version) > 0) continue;
    if (absl::Status status = database.ExecuteScript(migration.sql);
        !status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("migration ", migration.name,
                                       " failed: ", status.message()));
    }
    if (absl::Status status = database.Execute(
            "INSERT INTO schema_migrations (version, name, applied_at)"
            " VALUES ($1, $2, $3)",
            {int64_t{migration.version}, migration.name,
             int64_t{absl::ToUnixSeconds(absl::Now())}});
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Migration>> NumberMigrations(
    const std::vector<EmbeddedMigration>& embedded) {
  std::vector<Migration> migrations;
  for (const EmbeddedMigration& file : embedded) {
    char* end = nullptr;
    const long version = std::strtol(file.name, &end, 10);
    if (end == file.name || *end != '_' || version <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration ", file.name, " does not start with its number"));
    }
    migrations.push_back({static_cast<int>(version), file.name, file.sql});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) {
              return a.version < b.version;
            });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return absl::InvalidArgumentError(
          absl::StrCat("migrations ", migrations[i - 1].name, " and ",
                       migrations[i].name, " share a number"));
    }
  }
  return migrations;
}

absl::Status Migrate(Database& database,
                     const std::vector<Migration>& migrations) {
  if (absl::Status status = database.BeginExclusive(); !status.ok()) {
    database.Rollback().IgnoreError();
    return status;
  }
  absl::Status status = ApplyMissing(database, migrations);
  if (!status.ok()) {
    database.Rollback().IgnoreError();
    return status;
  }
  return database.Commit();
}

absl::Status Migrate(Database& database) {
  absl::StatusOr<std::vector<Migration>> migrations =
      NumberMigrations(EmbeddedMigrations());
  if (!migrations.ok()) return migrations.status();
  return Migrate(database, *migrations);
}

}  // namespace reportpipe::aggregator
