#include "services/aggregator/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace reportpipe::aggregator {
namespace {

// pg_advisory_xact_lock key that serialises migrations across replicas
// ("rpstore" read as a big-endian integer).
constexpr const char* kMigrationLockKey = "32211788522025573";

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string Excerpt(std::string_view sql) {
  sql = sql.substr(0, sql.find('\n'));
  return std::string(sql.substr(0, 80));
}

// Parameters travel as text; a double is written shortest-exact, which
// float8in reads back to the same bits.
std::string ToText(const SqlValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* view = std::get_if<std::string_view>(&value)) {
    return std::string(*view);
  }
  if (const auto* integer = std::get_if<int64_t>(&value)) {
    return std::to_string(*integer);
  }
  const double real = std::get<double>(value);
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), real);
  return std::string(buffer, error == std::errc() ? end : buffer);
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> PostgresDatabase::Connect(
    const std::string& url) {
  // Defaults first: with expand_dbname the URL's own settings override them.
  // Keepalives and a TCP user timeout bound how long a call (a readiness
  // ping, a commit) can wait on a database host that drops packets instead
  // of refusing them: about half a minute, not the kernel's quarter hour.
  const char* keywords[] = {"connect_timeout",
                            "application_name",
                            "keepalives",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "tcp_user_timeout",
                            "dbname",
                            nullptr};
  const char* values[] = {"10",    "reportpipe-aggregator",
                          "1",     "10",
                          "5",     "3",
                          "30000", url.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return absl::ResourceExhaustedError(
        "cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL: ", message));
  }
  std::unique_ptr<PostgresDatabase> database(new PostgresDatabase(conn));
  if (absl::Status status = database->ConfigureSession(); !status.ok()) {
    return absl::Status(
        status.code(),
        absl::StrCat("cannot connect to PostgreSQL: ", status.message()));
  }
  return database;
}

PostgresDatabase::~PostgresDatabase() { PQfinish(conn_); }

absl::Status PostgresDatabase::ConfigureSession() {
  // "relation … already exists, skipping" and the like would go to stderr.
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  // extra_float_digits > 0 makes float8 print shortest-exact; a server set
  // to 0 would round values to 15 digits. The store's text is UTF-8.
  if (absl::Status status = ExecuteScript(
          "SET extra_float_digits = 3; SET client_encoding = 'UTF8'");
      !status.ok()) {
    return status;
  }
  // A receipt promises durability: a server running synchronous_commit=off
  // could lose acknowledged commits in a crash. Any other setting (local,
  // remote_write, on, remote_apply) is at least a local flush; keep it.
  absl::StatusOr<std::vector<SqlRow>> mode = Run("SHOW synchronous_commit");
  if (!mode.ok()) return mode.status();
  if (!mode->empty() && mode->front().Text(0) == "off") {
    return ExecuteScript("SET synchronous_commit = on");
  }
  return absl::OkStatus();
}

absl::Status PostgresDatabase::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  if (in_transaction_) {
    return absl::UnavailableError(absl::StrCat("PostgreSQL connection lost: ",
                                               Trimmed(PQerrorMessage(conn_))));
  }
  return Reconnect();
}

absl::Status PostgresDatabase::Reconnect() {
  PQreset(conn_);
  prepared_.clear();
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reconnect to PostgreSQL: ", Trimmed(PQerrorMessage(conn_))));
  }
  return ConfigureSession();
}

absl::Status PostgresDatabase::ResultError(PGresult* result,
                                           std::string_view sql) const {
  const char* state_field = result == nullptr
                                ? nullptr
                                : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string state = state_field == nullptr ? "" : state_field;
  std::string message = Trimmed(
      result == nullptr ? PQerrorMessage(conn_) : PQresultErrorMessage(result));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  message = absl::StrCat("PostgreSQL: ", message, " (", Excerpt(sql), ")");
  // Serialization failures, deadlocks and constraint races: the batch may
  // be sent again. Connection and shutdown errors: the server is away.
  if (state == "40001" || state == "40P01" || state.rfind("23", 0) == 0) {
    return absl::AbortedError(message);
  }
  if (state.empty() || state.rfind("08", 0) == 0 ||
      state.rfind("57P", 0) == 0 || PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

// Without Query's retry: ConfigureSession runs from Reconnect, which must
// not end up reconnecting again.
absl::StatusOr<std::vector<SqlRow>> PostgresDatabase::Run(
    const std::string& sql) {
  return QueryOnce(sql, {});
}

absl::Status PostgresDatabase::ExecuteScript(const std::string& sql) {
  if (absl::Status status = EnsureConnected(); !status.ok()) return status;
  Result result(PQexec(conn_, sql.c_str()));
  const ExecStatusType status =
      result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ResultError(result.get(), sql);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SqlRow>> PostgresDatabase::Query(
    const std::string& sql, const std::vector<SqlValue>& params) {
  absl::StatusOr<std::vector<SqlRow>> rows = QueryOnce(sql, params);
  // A connection the server dropped while idle (the server restarted) shows
  // only when used: the first query after a restart failed, though the
  // server was back. libpq may still call the connection OK then (it read
  // the server's FATAL message, not yet the closed socket), so the error's
  // class decides (UNAVAILABLE: connection lost, server shutting down).
  // Outside a transaction every statement is a read (the store writes only
  // between Begin and Commit), so reconnecting and running it again, once,
  // is safe. Inside one, the transaction is lost and its caller must start
  // over.
  if (!rows.ok() && !in_transaction_ && absl::IsUnavailable(rows.status())) {
    if (absl::Status status = Reconnect(); !status.ok()) return status;
    rows = QueryOnce(sql, params);
  }
  return rows;
}

absl::StatusOr<std::vector<SqlRow>> PostgresDatabase::QueryOnce(
    const std::string& sql, const std::vector<SqlValue>& params) {
  if (absl::Status status = EnsureConnected(); !status.ok()) return status;
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    // Parameter types are left to the server, which infers them from the
    // columns and casts the text it is sent.
    std::string name = absl::StrCat("rp", prepared_.size() + 1);
    Result prepared(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
    if (prepared == nullptr ||
        PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      return ResultError(prepared.get(), sql);
    }
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    if (std::holds_alternative<std::monostate>(params[i])) continue;
    texts[i] = ToText(params[i]);
    values[i] = texts[i].c_str();
  }
  Result result(PQexecPrepared(conn_, it->second.c_str(),
                               static_cast<int>(params.size()), values.data(),
                               nullptr, nullptr, /*resultFormat=*/0));
  const ExecStatusType status =
      result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ResultError(result.get(), sql);
  }
  std::vector<SqlRow> rows;
  const int row_count = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  rows.reserve(row_count);
  for (int r = 0; r < row_count; ++r) {
    std::vector<SqlValue> row;
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::monostate());
      } else {
        row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                     PQgetlength(result.get(), r, c)));
      }
    }
    rows.emplace_back(std::move(row));
  }
  return rows;
}

absl::Status PostgresDatabase::Begin() {
  absl::Status status = ExecuteScript("BEGIN");
  // A connection the server dropped while idle shows only when used; as
  // nothing of the transaction ran yet, reconnecting and beginning again is
  // safe.
  if (!status.ok() && PQstatus(conn_) != CONNECTION_OK) {
    status = ExecuteScript("BEGIN");
  }
  if (status.ok()) in_transaction_ = true;
  return status;
}

absl::Status PostgresDatabase::BeginExclusive() {
  if (absl::Status status = Begin(); !status.ok()) return status;
  // Released by COMMIT or ROLLBACK.
  return ExecuteScript(
      absl::StrCat("SELECT pg_advisory_xact_lock(", kMigrationLockKey, ")"));
}

absl::Status PostgresDatabase::Commit() {
  Result result(PQexec(conn_, "COMMIT"));
  in_transaction_ = false;
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return ResultError(result.get(), "COMMIT");
  }
  // COMMIT of a transaction that failed earlier answers "ROLLBACK", and
  // nothing was stored.
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    return absl::AbortedError(
        "PostgreSQL rolled the transaction back instead of committing it");
  }
  return absl::OkStatus();
}

absl::Status PostgresDatabase::Rollback() {
  in_transaction_ = false;
  if (PQstatus(conn_) != CONNECTION_OK) return absl::OkStatus();
  Result result(PQexec(conn_, "ROLLBACK"));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return ResultError(result.get(), "ROLLBACK");
  }
  return absl::OkStatus();
}

}  // namespace reportpipe::aggregator
