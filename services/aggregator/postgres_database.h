// The PostgreSQL backend of Database: one libpq connection.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_POSTGRES_DATABASE_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_POSTGRES_DATABASE_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/aggregator/database.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace reportpipe::aggregator {

// Not thread-safe: the store serialises its calls. A connection lost between
// transactions is re-established at the next one; one lost inside a
// transaction fails it.
class PostgresDatabase : public Database {
 public:
  // `url` is a libpq connection URI or key=value string. A connect timeout
  // of 10 s applies unless the URL sets one.
  static absl::StatusOr<std::unique_ptr<Database>> Connect(
      const std::string& url);

  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  const char* backend() const override { return "postgresql"; }
  absl::Status ExecuteScript(const std::string& sql) override;
  absl::StatusOr<std::vector<SqlRow>> Query(
      const std::string& sql, const std::vector<SqlValue>& params) override;
  absl::Status Begin() override;
  absl::Status BeginExclusive() override;
  absl::Status Commit() override;
  absl::Status Rollback() override;

 private:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {}

  // Session settings every connection needs (see the .cc for why).
  absl::Status ConfigureSession();
  // Reconnects when the connection was lost while no transaction was open.
  absl::Status EnsureConnected();
  // A new connection in place of the old one, with its session settings.
  absl::Status Reconnect();
  // Query, without the retry after a dropped connection.
  absl::StatusOr<std::vector<SqlRow>> QueryOnce(const std::string& sql,
                                                const std::vector<SqlValue>& params);
  absl::StatusOr<std::vector<SqlRow>> Run(const std::string& sql);
  absl::Status ResultError(PGresult* result, std::string_view sql) const;

  PGconn* conn_;
  bool in_transaction_ = false;
  // Server-side prepared statements by SQL text; a reconnect forgets them.
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_POSTGRES_DATABASE_H_
