#include "services/aggregator/ingest_queue.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace reportpipe::aggregator {

IngestQueue::IngestQueue(Store* store, size_t max_batch)
    : store_(store), max_batch_(max_batch), writer_([this] { Run(); }) {}

IngestQueue::~IngestQueue() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

void IngestQueue::Submit(const v1::ExtractedReport* report, Done done) {
  absl::MutexLock lock(&mu_);
  queue_.push_back({report, std::move(done)});
}

int64_t IngestQueue::batches() const {
  absl::MutexLock lock(&mu_);
  return batches_;
}

void IngestQueue::Run() {
  for (;;) {
    std::vector<Item> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](IngestQueue* q) ABSL_EXCLUSIVE_LOCKS_REQUIRED(q->mu_) {
            return q->stopping_ || !q->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to commit
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      ++batches_;
    }
    std::vector<const v1::ExtractedReport*> reports;
    reports.reserve(batch.size());
    for (const Item& item : batch) reports.push_back(item.report);
    absl::StatusOr<std::vector<v1::Receipt>> receipts = store_->Commit(reports);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (receipts.ok() && i < receipts->size()) {
        batch[i].done(std::move((*receipts)[i]));
      } else if (receipts.ok()) {
        batch[i].done(absl::InternalError("the store answered fewer receipts than reports"));
      } else {
        batch[i].done(absl::UnavailableError(
            absl::StrCat("not stored, send again: ", receipts.status().message())));
      }
    }
  }
}

}  // namespace reportpipe::aggregator
