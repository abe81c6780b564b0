// The store's schema as numbered migrations (migrations/NNN_words.sql, built
// into the binary) and the code that brings a database up to date.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_MIGRATIONS_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/aggregator/database.h"

namespace reportpipe::aggregator {

// A migration file as built in: its name without ".sql" and its text.
struct EmbeddedMigration {
  const char* name;
  const char* sql;
};

// The built-in migrations, sorted by name (generated).
const std::vector<EmbeddedMigration>& EmbeddedMigrations();

struct Migration {
  int version = 0;  // the number its name starts with
  std::string name;
  std::string sql;
};

// Numbers migrations by their names; INVALID_ARGUMENT for a name without a
// number or for two with the same number.
absl::StatusOr<std::vector<Migration>> NumberMigrations(
    const std::vector<EmbeddedMigration>& embedded);

// Applies the migrations `database` lacks, in order, in one transaction that
// no other store migrating the same database runs beside, and records each
// in schema_migrations. FAILED_PRECONDITION when the database has a version
// newer than any of `migrations` (a newer binary migrated it).
absl::Status Migrate(Database& database,
                     const std::vector<Migration>& migrations);

// Migrate with the built-in migrations.
absl::Status Migrate(Database& database);

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_MIGRATIONS_H_
