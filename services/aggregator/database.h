// The small SQL surface the store is written against, so that its logic and
// its SQL exist once for SQLite and PostgreSQL alike.
//
// Statements use numbered parameters ($1, $2 …) and values are always bound,
// never spliced into the text. Both backends read the same SQL text: libpq
// natively, SQLite by looking each "$N" up as a named parameter.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_DATABASE_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace reportpipe::aggregator {

// A bound parameter or a column value: NULL, an integer, a double or text.
// Text a parameter only borrows is a string_view: the store binds a
// metric's strings straight from the protobuf message, which outlives the
// call, instead of copying each one per row. A std::string never converts
// to a view by itself; rows read back always own their text.
using SqlValue =
    std::variant<std::monostate, int64_t, double, std::string, std::string_view>;

// One result row. SQLite hands back typed values; libpq hands back text,
// which the accessors parse, so the store reads both the same way.
class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}

  int size() const { return static_cast<int>(values_.size()); }
  bool IsNull(int column) const;
  // 0 for NULL.
  int64_t Int(int column) const;
  // 0 for NULL; text is parsed with full precision (strtod).
  double Double(int column) const;
  // Empty for NULL.
  std::string Text(int column) const;

 private:
  std::vector<SqlValue> values_;
};

class Database {
 public:
  virtual ~Database() = default;

  // "sqlite" or "postgresql", for messages.
  virtual const char* backend() const = 0;

  // Runs a script of several statements without parameters (migrations).
  virtual absl::Status ExecuteScript(const std::string& sql) = 0;

  // Runs one statement and returns its rows (none for most writes).
  virtual absl::StatusOr<std::vector<SqlRow>> Query(
      const std::string& sql, const std::vector<SqlValue>& params) = 0;

  absl::Status Execute(const std::string& sql,
                       const std::vector<SqlValue>& params) {
    return Query(sql, params).status();
  }

  // A transaction that writes. SQLite takes its write lock at once (BEGIN
  // IMMEDIATE), so writers on one file are serialised and a reader never
  // has to be upgraded mid-transaction (which could fail with SQLITE_BUSY);
  // PostgreSQL begins READ COMMITTED and relies on row locks.
  virtual absl::Status Begin() = 0;
  // Like Begin, and no other BeginExclusive transaction on the same store
  // runs beside it: replicas that open one database at once migrate it one
  // after the other.
  virtual absl::Status BeginExclusive() = 0;
  // Returns once the transaction is durable.
  virtual absl::Status Commit() = 0;
  virtual absl::Status Rollback() = 0;
};

// Opens the database a store URL names (see OpenStore in store.h): libpq for
// postgresql://, postgres:// and "host=…" strings, SQLite for the rest.
absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const std::string& url);

// True when `url` names a PostgreSQL database.
bool IsPostgresUrl(std::string_view url);

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_DATABASE_H_
