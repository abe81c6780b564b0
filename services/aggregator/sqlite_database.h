// The SQLite backend of Database: a file in WAL mode, one connection for the
// store's statements and one that checkpoints the WAL on a thread of its own.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_SQLITE_DATABASE_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_SQLITE_DATABASE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/aggregator/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace reportpipe::aggregator {

// Not thread-safe: the store serialises its calls.
class SqliteDatabase : public Database {
 public:
  // Opens or creates the file: WAL journal, synchronous=FULL (a commit is on
  // disk when COMMIT returns, power loss included), foreign keys on, a busy
  // timeout so that another process's writer is waited for, not failed on.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path);

  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  const char* backend() const override { return "sqlite"; }
  // Checkpoints whose copy ran in the SCHED_IDLE class (for tests).
  int idle_class_checkpoints() const {
    return idle_class_checkpoints_.load(std::memory_order_relaxed);
  }
  absl::Status ExecuteScript(const std::string& sql) override;
  absl::StatusOr<std::vector<SqlRow>> Query(
      const std::string& sql, const std::vector<SqlValue>& params) override;
  absl::Status Begin() override;
  absl::Status BeginExclusive() override { return Begin(); }
  absl::Status Commit() override;
  absl::Status Rollback() override;

 private:
  SqliteDatabase(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)) {}

  absl::Status Configure();
  // Checkpoints run on a thread of their own, on a second connection, so
  // that the commit which crosses the WAL's threshold does not pay for
  // copying the WAL into the database (and its fsyncs) before it can be
  // acknowledged: that copy was the idle chain's p99. Commits stay durable
  // on their own (the WAL is synced at each COMMIT, synchronous=FULL).
  //
  // The copy runs in the SCHED_IDLE class: a checkpoint running on the CPU
  // where a server thread of the chain wakes delayed that thread until the
  // scheduler's next tick, even at nice 19; an idle-class thread gives way
  // at once. Where other work keeps the CPUs busy it may fall behind, so a
  // commit that leaves the WAL past kMostWalPages waits (a bounded time) for
  // a checkpoint to finish: the chain's own load then pauses and frees the
  // CPU for it, and the WAL stays bounded. A wait in vain is not repeated
  // until a checkpoint finishes.
  absl::Status StartCheckpointer();
  void StopCheckpointer();
  static int OnWalCommit(void* self, sqlite3* db, const char* schema,
                         int pages);
  // A prepared statement and where each of its "$N" sits: SQLite finds a
  // named parameter by comparing names one by one, which for a 25-column
  // insert run 70 times a report was the aggregator's largest cost.
  struct Prepared {
    sqlite3_stmt* statement = nullptr;
    // bind_index[N - 1] is the index SQLite gives "$N".
    std::vector<int> bind_index;
  };
  absl::StatusOr<const Prepared*> Prepare(const std::string& sql);
  absl::Status Error(int code, const std::string& what) const;

  sqlite3* db_;
  std::string path_;
  // Prepared once per statement text: the store runs a few statements many
  // times per batch.
  std::unordered_map<std::string, Prepared> statements_;

  // The checkpointer's own connection, used only on its thread.
  sqlite3* checkpoint_db_ = nullptr;
  std::thread checkpointer_;
  absl::Mutex checkpoint_mu_;
  bool checkpoint_wanted_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool checkpointer_running_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  // The checkpoints finished, and the count at which a commit last waited
  // for one in vain.
  uint64_t checkpoints_done_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;
  uint64_t gave_up_at_ ABSL_GUARDED_BY(checkpoint_mu_) = UINT64_MAX;
  // The WAL's pages after the last commit (the WAL hook's count).
  std::atomic<int> wal_pages_{0};
  std::atomic<int> idle_class_checkpoints_{0};
  // Waits (a bounded time) for a checkpoint when the WAL is past
  // kMostWalPages.
  void AwaitCheckpointPastTheCap();
};

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_SQLITE_DATABASE_H_
