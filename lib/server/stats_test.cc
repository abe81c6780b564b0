#include "lib/server/stats.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace reportpipe::server {
namespace {

int64_t BucketCount(const v1::GetStatsResponse& stats, int64_t bound) {
  for (const v1::LatencyBucket& bucket : stats.latency()) {
    if (bucket.upper_bound_us() == bound) return bucket.count();
  }
  ADD_FAILURE() << "no bucket with bound " << bound;
  return -1;
}

TEST(StatsRegistryTest, StartsAtZeroWithEveryBucket) {
  StatsRegistry stats("segmenter");
  const v1::GetStatsResponse snapshot = stats.Snapshot();
  EXPECT_EQ(snapshot.service(), "segmenter");
  EXPECT_EQ(snapshot.reports_in(), 0);
  EXPECT_EQ(snapshot.errors(), 0);
  ASSERT_EQ(snapshot.latency_size(),
            static_cast<int>(StatsRegistry::kLatencyBoundsUs.size()) + 1);
  EXPECT_EQ(snapshot.latency(0).upper_bound_us(), 100);
  // The open bucket comes last and has no bound.
  EXPECT_EQ(snapshot.latency(snapshot.latency_size() - 1).upper_bound_us(), 0);
}

TEST(StatsRegistryTest, CountsEachCounterSeparately) {
  StatsRegistry stats("extractor");
  stats.AddReportsIn(3);
  stats.AddReportsOut(2);
  stats.AddMetrics(40);
  stats.AddErrors();
  const v1::GetStatsResponse snapshot = stats.Snapshot();
  EXPECT_EQ(snapshot.reports_in(), 3);
  EXPECT_EQ(snapshot.reports_out(), 2);
  EXPECT_EQ(snapshot.metrics(), 40);
  EXPECT_EQ(snapshot.errors(), 1);
}

TEST(StatsRegistryTest, LatencyBoundsAreInclusive) {
  StatsRegistry stats("segmenter");
  stats.RecordLatency(absl::Microseconds(100));  // exactly on a bound
  stats.RecordLatency(absl::Microseconds(101));
  stats.RecordLatency(absl::Microseconds(0));
  const v1::GetStatsResponse snapshot = stats.Snapshot();
  EXPECT_EQ(BucketCount(snapshot, 100), 2);
  EXPECT_EQ(BucketCount(snapshot, 250), 1);
}

TEST(StatsRegistryTest, SlowCallsLandInTheOpenBucket) {
  StatsRegistry stats("segmenter");
  stats.RecordLatency(absl::Seconds(30));
  const v1::GetStatsResponse snapshot = stats.Snapshot();
  EXPECT_EQ(snapshot.latency(snapshot.latency_size() - 1).count(), 1);
  EXPECT_EQ(BucketCount(snapshot, 5000000), 0);
}

TEST(StatsRegistryTest, ConcurrentUpdatesAreNotLost) {
  StatsRegistry stats("segmenter");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&stats] {
      for (int i = 0; i < kPerThread; ++i) {
        stats.AddReportsIn();
        stats.RecordLatency(absl::Microseconds(700));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const v1::GetStatsResponse snapshot = stats.Snapshot();
  EXPECT_EQ(snapshot.reports_in(), kThreads * kPerThread);
  EXPECT_EQ(BucketCount(snapshot, 1000), kThreads * kPerThread);
}

}  // namespace
}  // namespace reportpipe::server
