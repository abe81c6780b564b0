// Groups the reports of many concurrent ingests into one transaction: a
// writer thread takes whatever has queued up (up to a batch), commits it with
// Store::Commit, then answers each report. Under load, many reports share one
// commit's fsync; alone, a report is committed at once.
//
//   IngestQueue queue(store.get());
//   queue.Submit(&report, [](absl::StatusOr<v1::Receipt> receipt) { ... });
//
// `done` runs on the writer thread after the commit is durable, so an answer
// never acknowledges what is not stored. It must not block.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_INGEST_QUEUE_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_INGEST_QUEUE_H_

#include <deque>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "reportpipe/v1/metric.pb.h"
#include "reportpipe/v1/receipt.pb.h"
#include "services/aggregator/store.h"

namespace reportpipe::aggregator {

class IngestQueue {
 public:
  using Done = std::function<void(absl::StatusOr<v1::Receipt>)>;

  // `store` must outlive the queue; only the writer thread uses it.
  explicit IngestQueue(Store* store, size_t max_batch = 256);
  // Commits and answers everything queued, then stops the writer.
  ~IngestQueue();
  IngestQueue(const IngestQueue&) = delete;
  IngestQueue& operator=(const IngestQueue&) = delete;

  // Queues `report` (which must stay valid until `done` runs). An error
  // status in `done` means the batch was not stored (the database failed):
  // the caller may send the report again.
  void Submit(const v1::ExtractedReport* report, Done done);

  // Batches committed so far, for tests and stats.
  int64_t batches() const;

 private:
  struct Item {
    const v1::ExtractedReport* report;
    Done done;
  };
  void Run();

  Store* const store_;
  const size_t max_batch_;
  mutable absl::Mutex mu_;
  std::deque<Item> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t batches_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread writer_;
};

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_INGEST_QUEUE_H_
