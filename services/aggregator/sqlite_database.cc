#include "services/aggregator/sqlite_database.h"

#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace reportpipe::aggregator {
namespace {

constexpr int kBusyTimeoutMs = 30000;
// WAL pages (4 KiB) after which a checkpoint is asked for: SQLite's own
// default threshold.
constexpr int kCheckpointPages = 1000;
// WAL pages past which a commit waits for a checkpoint to finish (16 MiB),
// and how long at most: past that the commits go on (and wait no more until
// one finishes) and the WAL keeps growing until the copy gets the CPU.
constexpr int kMostWalPages = 4 * kCheckpointPages;
constexpr absl::Duration kMostCheckpointWait = absl::Milliseconds(200);

// Byte order, under the name PostgreSQL gives it: ORDER BY … COLLATE "C"
// then sorts the same on both backends whatever the server's locale.
int CompareBytes(void* /*unused*/, int left_size, const void* left,
                 int right_size, const void* right) {
  const int common = std::min(left_size, right_size);
  const int order = std::memcmp(left, right, common);
  if (order != 0) return order;
  return left_size - right_size;
}

// The first line of a statement, enough to tell which one failed.
std::string Excerpt(std::string_view sql) {
  sql = sql.substr(0, sql.find('\n'));
  return std::string(sql.substr(0, 80));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> SqliteDatabase::Open(
    const std::string& path) {
  // SQLite's memory statistics take a global mutex around every allocation
  // it makes, and the store never reads them. They can only be turned off
  // before SQLite initialises, so once per process; a later call (SQLite
  // already in use) returns SQLITE_MISUSE and changes nothing.
  static const int kNoMemoryStatistics =
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  static_cast<void>(kNoMemoryStatistics);
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(
      path.c_str(), &db,
      // NOMUTEX: the store already serialises every call on the connection
      // (one mutex, see SqlStore), so SQLite's own lock per call is waste.
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (code != SQLITE_OK) {
    std::string message =
        db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    sqlite3_close_v2(db);
    return absl::UnavailableError(
        absl::StrCat("cannot open SQLite store at ", path, ": ", message));
  }
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(db, path));
  if (absl::Status status = database->Configure(); !status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("cannot open SQLite store at ", path, ": ",
                                     status.message()));
  }
  return database;
}

SqliteDatabase::~SqliteDatabase() {
  StopCheckpointer();
  for (auto& [sql, prepared] : statements_) {
    sqlite3_finalize(prepared.statement);
  }
  sqlite3_close_v2(db_);
}

absl::Status SqliteDatabase::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  const int code = sqlite3_create_collation_v2(db_, "C", SQLITE_UTF8, nullptr,
                                               CompareBytes, nullptr);
  if (code != SQLITE_OK) return Error(code, "registering collation C");
  // The journal mode is kept in the file; asking returns the mode in force,
  // which is "memory" for an in-memory database: refuse that, it would lose
  // everything acknowledged on close.
  absl::StatusOr<std::vector<SqlRow>> mode =
      Query("PRAGMA journal_mode=WAL", {});
  if (!mode.ok()) return mode.status();
  if (mode->empty() || mode->front().Text(0) != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "WAL journal mode is not available (the database runs in \"",
        mode->empty() ? "" : mode->front().Text(0),
        "\" mode); give a file path"));
  }
  // FULL, not NORMAL: in WAL mode NORMAL syncs only at checkpoints, so a
  // power loss could take back commits already acknowledged. Batching many
  // reports per transaction pays for the fsync.
  if (absl::Status status =
          ExecuteScript("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<SqlRow>> keys = Query("PRAGMA foreign_keys", {});
  if (!keys.ok()) return keys.status();
  if (keys->empty() || keys->front().Int(0) != 1) {
    return absl::FailedPreconditionError(
        "this SQLite build cannot enforce foreign keys");
  }
  return StartCheckpointer();
}

absl::Status SqliteDatabase::StartCheckpointer() {
  int code = sqlite3_open_v2(path_.c_str(), &checkpoint_db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
  // A connection learns that the file is in WAL mode when it first reads
  // it; until then sqlite3_wal_checkpoint_v2 does nothing at all.
  if (code == SQLITE_OK) {
    sqlite3_busy_timeout(checkpoint_db_, kBusyTimeoutMs);
    code = sqlite3_exec(checkpoint_db_, "PRAGMA journal_mode=WAL", nullptr,
                        nullptr, nullptr);
  }
  if (code != SQLITE_OK) {
    std::string message = checkpoint_db_ != nullptr
                              ? sqlite3_errmsg(checkpoint_db_)
                              : sqlite3_errstr(code);
    sqlite3_close_v2(checkpoint_db_);
    checkpoint_db_ = nullptr;
    return absl::UnavailableError(
        absl::StrCat("opening the checkpoint connection: ", message));
  }
  // A WAL hook replaces SQLite's automatic checkpoint on this connection.
  sqlite3_wal_hook(db_, &SqliteDatabase::OnWalCommit, this);
  {
    absl::MutexLock lock(&checkpoint_mu_);
    checkpointer_running_ = true;
  }
  checkpointer_ = std::thread([this] {
    for (;;) {
      {
        absl::MutexLock lock(&checkpoint_mu_);
        checkpoint_mu_.Await(absl::Condition(
            +[](SqliteDatabase* d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(d->checkpoint_mu_) {
              return d->checkpoint_wanted_ || d->stopping_;
            },
            this));
        if (stopping_) return;
        checkpoint_wanted_ = false;
      }
      // The copy runs on a thread of the SCHED_IDLE class; this one, which
      // takes the mutex the commits take, keeps the normal class (an
      // idle-class thread preempted while holding it would hold up a commit
      // until a CPU fell idle). A thread a checkpoint, one every thousand
      // pages: its start costs next to nothing beside the copy.
      std::thread copy([this] {
        // Lowering a thread's class needs no privilege (raising it back
        // would: hence a thread of its own); should it fail, the copy runs
        // at the normal priority, as it did before.
        sched_param idle{};
        if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) == 0) {
          idle_class_checkpoints_.fetch_add(1, std::memory_order_relaxed);
        }
        // PASSIVE: copies what no reader still needs and never blocks a
        // writer; BUSY (another process checkpointing) is left for next
        // time.
        sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr,
                                  SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      });
      copy.join();
      absl::MutexLock lock(&checkpoint_mu_);
      ++checkpoints_done_;
    }
  });
  return absl::OkStatus();
}

void SqliteDatabase::StopCheckpointer() {
  if (checkpointer_.joinable()) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      stopping_ = true;
      checkpointer_running_ = false;
    }
    checkpointer_.join();
  }
  if (db_ != nullptr) sqlite3_wal_hook(db_, nullptr, nullptr);
  sqlite3_close_v2(checkpoint_db_);
  checkpoint_db_ = nullptr;
}

int SqliteDatabase::OnWalCommit(void* self, sqlite3* /*db*/,
                                const char* /*schema*/, int pages) {
  auto* database = static_cast<SqliteDatabase*>(self);
  database->wal_pages_.store(pages, std::memory_order_relaxed);
  if (pages >= kCheckpointPages) {
    absl::MutexLock lock(&database->checkpoint_mu_);
    database->checkpoint_wanted_ = true;
  }
  return SQLITE_OK;
}

void SqliteDatabase::AwaitCheckpointPastTheCap() {
  // Nearly every commit leaves the WAL under the cap: no lock for those.
  if (wal_pages_.load(std::memory_order_relaxed) < kMostWalPages) return;
  absl::MutexLock lock(&checkpoint_mu_);
  // After one wait in vain, none more until a checkpoint finishes: on a
  // machine kept busy by others each commit would wait its full time.
  if (!checkpointer_running_ || checkpoints_done_ == gave_up_at_) return;
  struct Args {
    SqliteDatabase* database;
    uint64_t done;
  } args{this, checkpoints_done_};
  const bool finished = checkpoint_mu_.AwaitWithTimeout(
      absl::Condition(
          +[](Args* a)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(a->database->checkpoint_mu_) {
                 return a->database->checkpoints_done_ > a->done ||
                        a->database->stopping_;
               },
          &args),
      kMostCheckpointWait);
  if (!finished) gave_up_at_ = args.done;
}

absl::Status SqliteDatabase::Error(int code, const std::string& what) const {
  std::string message =
      absl::StrCat("SQLite: ", sqlite3_errmsg(db_), " (", what, ")");
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      return absl::AbortedError(message);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_READONLY:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::Status SqliteDatabase::ExecuteScript(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (code != SQLITE_OK) return Error(code, Excerpt(sql));
  return absl::OkStatus();
}

absl::StatusOr<const SqliteDatabase::Prepared*> SqliteDatabase::Prepare(
    const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) {
    return &it->second;
  }
  Prepared prepared;
  const char* tail = nullptr;
  const int code =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &prepared.statement, &tail);
  if (code != SQLITE_OK) return Error(code, Excerpt(sql));
  if (prepared.statement == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("empty statement: ", Excerpt(sql)));
  }
  // "$N" is a named parameter to SQLite; one name occurring twice is one
  // parameter, so looking names up (not counting positions) binds the same
  // values libpq would.
  const int count = sqlite3_bind_parameter_count(prepared.statement);
  for (int n = 1; n <= count; ++n) {
    const std::string name = absl::StrCat("$", n);
    const int index = sqlite3_bind_parameter_index(prepared.statement, name.c_str());
    if (index == 0) {
      sqlite3_finalize(prepared.statement);
      return absl::InvalidArgumentError(absl::StrCat(
          "statement has no parameter ", name, ": ", Excerpt(sql)));
    }
    prepared.bind_index.push_back(index);
  }
  return &statements_.emplace(sql, std::move(prepared)).first->second;
}

absl::StatusOr<std::vector<SqlRow>> SqliteDatabase::Query(
    const std::string& sql, const std::vector<SqlValue>& params) {
  absl::StatusOr<const Prepared*> prepared = Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  sqlite3_stmt* statement = (*prepared)->statement;
  const std::vector<int>& bind_index = (*prepared)->bind_index;
  sqlite3_reset(statement);
  // Text is bound without a copy (SQLITE_STATIC): `params` outlives every
  // step, and the bindings are cleared on the way out, whatever the path,
  // so the statement never holds a pointer into a vector that is gone.
  struct ClearOnExit {
    sqlite3_stmt* statement;
    ~ClearOnExit() {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    }
  } clear_on_exit{statement};

  if (bind_index.size() != params.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement takes ", bind_index.size(), " parameters, given ",
        params.size(), ": ", Excerpt(sql)));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = bind_index[i];
    int code = SQLITE_OK;
    const SqlValue& value = params[i];
    if (const auto* integer = std::get_if<int64_t>(&value)) {
      code = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      code = sqlite3_bind_double(statement, index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      code = sqlite3_bind_text64(statement, index, text->data(), text->size(),
                                 SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* view = std::get_if<std::string_view>(&value)) {
      // An empty view may have no data pointer, which SQLite binds as NULL.
      code = sqlite3_bind_text64(statement, index,
                                 view->empty() ? "" : view->data(),
                                 view->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      code = sqlite3_bind_null(statement, index);
    }
    if (code != SQLITE_OK) return Error(code, Excerpt(sql));
  }

  std::vector<SqlRow> rows;
  const int columns = sqlite3_column_count(statement);
  while (true) {
    const int code = sqlite3_step(statement);
    if (code == SQLITE_DONE) break;
    if (code != SQLITE_ROW) {
      return Error(code, Excerpt(sql));
    }
    std::vector<SqlValue> values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(
              static_cast<int64_t>(sqlite3_column_int64(statement, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(statement, c));
          break;
        case SQLITE_NULL:
          values.emplace_back(std::monostate());
          break;
        default: {
          const auto* data =
              static_cast<const char*>(sqlite3_column_blob(statement, c));
          const int size = sqlite3_column_bytes(statement, c);
          values.emplace_back(data == nullptr ? std::string()
                                              : std::string(data, size));
        }
      }
    }
    rows.emplace_back(std::move(values));
  }
  // clear_on_exit resets the statement, which releases its read snapshot
  // before the next statement runs.
  return rows;
}

absl::Status SqliteDatabase::Begin() {
  return ExecuteScript("BEGIN IMMEDIATE");
}

absl::Status SqliteDatabase::Commit() {
  absl::Status status = ExecuteScript("COMMIT");
  // After the commit, which is durable whatever happens here.
  if (status.ok()) AwaitCheckpointPastTheCap();
  return status;
}

absl::Status SqliteDatabase::Rollback() {
  // SQLite rolls back by itself after some errors (SQLITE_FULL, IOERR);
  // a second ROLLBACK would only report "no transaction is active".
  if (sqlite3_get_autocommit(db_) != 0) return absl::OkStatus();
  return ExecuteScript("ROLLBACK");
}

}  // namespace reportpipe::aggregator
