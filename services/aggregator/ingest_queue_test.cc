#include "services/aggregator/ingest_queue.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace reportpipe::aggregator {
namespace {

// A store that records the batches it is asked to commit, and can be made
// to wait or fail: the queue's grouping and error handling, without a
// database.
class RecordingStore : public Store {
 public:
  absl::StatusOr<std::vector<v1::Receipt>> Commit(
      const std::vector<const v1::ExtractedReport*>& reports) override {
    if (gate_ != nullptr) gate_->WaitForNotification();
    batch_sizes.push_back(static_cast<int>(reports.size()));
    if (fail) return absl::InternalError("disk on fire");
    std::vector<v1::Receipt> out;
    for (const v1::ExtractedReport* r : reports) {
      v1::Receipt receipt;
      receipt.set_report_id(r->report().report_id());
      receipt.set_outcome(v1::RECEIPT_OUTCOME_COMMITTED);
      out.push_back(receipt);
    }
    return out;
  }
  absl::StatusOr<std::vector<StoredMetric>> CurrentMetrics(const MetricQuery&) override {
    return std::vector<StoredMetric>{};
  }
  absl::StatusOr<std::vector<v1::StoredReport>> ListReports(const std::string&, bool) override {
    return std::vector<v1::StoredReport>{};
  }
  absl::Status Ping() override { return absl::OkStatus(); }

  std::vector<int> batch_sizes;  // only the writer thread touches it
  bool fail = false;
  absl::Notification* gate_ = nullptr;
};

v1::ExtractedReport Report(int i) {
  v1::ExtractedReport r;
  r.mutable_report()->set_report_id("r" + std::to_string(i));
  return r;
}

TEST(IngestQueueTest, ReportsQueuedDuringACommitShareTheNextOne) {
  RecordingStore store;
  absl::Notification gate;
  store.gate_ = &gate;
  std::vector<v1::ExtractedReport> reports;
  for (int i = 0; i < 50; ++i) reports.push_back(Report(i));
  std::atomic<int> answered{0};
  std::vector<std::string> ids(50);
  {
    IngestQueue queue(&store, 64);
    // The first commit waits at the gate while the rest queue up.
    for (int i = 0; i < 50; ++i) {
      queue.Submit(&reports[i], [&, i](absl::StatusOr<v1::Receipt> r) {
        ASSERT_TRUE(r.ok());
        ids[i] = r->report_id();
        ++answered;
      });
    }
    gate.Notify();
  }  // the destructor commits what is left
  EXPECT_EQ(answered.load(), 50);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(ids[i], "r" + std::to_string(i));
  int total = 0;
  for (int n : store.batch_sizes) total += n;
  EXPECT_EQ(total, 50);
  EXPECT_LE(store.batch_sizes.size(), 3u) << "reports that waited were not grouped";
}

TEST(IngestQueueTest, ABatchLargerThanTheLimitIsSplit) {
  RecordingStore store;
  absl::Notification gate;
  store.gate_ = &gate;
  std::vector<v1::ExtractedReport> reports;
  for (int i = 0; i < 25; ++i) reports.push_back(Report(i));
  {
    IngestQueue queue(&store, 10);
    for (auto& r : reports) queue.Submit(&r, [](absl::StatusOr<v1::Receipt>) {});
    gate.Notify();
  }
  for (int n : store.batch_sizes) EXPECT_LE(n, 10);
}

TEST(IngestQueueTest, AFailedCommitAnswersUnavailableToEveryReport) {
  RecordingStore store;
  store.fail = true;
  std::vector<v1::ExtractedReport> reports = {Report(1), Report(2)};
  std::vector<absl::Status> statuses(2);
  {
    IngestQueue queue(&store);
    for (int i = 0; i < 2; ++i) {
      queue.Submit(&reports[i], [&, i](absl::StatusOr<v1::Receipt> r) { statuses[i] = r.status(); });
    }
  }
  for (const absl::Status& s : statuses) {
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("send again"), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace reportpipe::aggregator
