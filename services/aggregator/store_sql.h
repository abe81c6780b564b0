// The store's logic, written once over Database for both backends.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_SQL_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_SQL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/aggregator/database.h"
#include "services/aggregator/store.h"

namespace reportpipe::aggregator {

// Thread-safe: calls take turns on the one connection. Replicas (separate
// SqlStores on one database) are kept apart by the database's locks.
class SqlStore : public Store {
 public:
  // `database` must be migrated already (OpenStore does it).
  explicit SqlStore(std::unique_ptr<Database> database)
      : database_(std::move(database)) {}

  absl::StatusOr<std::vector<v1::Receipt>> Commit(
      const std::vector<const v1::ExtractedReport*>& reports) override;
  absl::StatusOr<std::vector<StoredMetric>> CurrentMetrics(
      const MetricQuery& query) override;
  absl::StatusOr<std::vector<v1::StoredReport>> ListReports(
      const std::string& region, bool include_history) override;
  absl::Status Ping() override;

 private:
  absl::Mutex mu_;
  std::unique_ptr<Database> database_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_SQL_H_
