// The counters every server keeps, and the Stats service that reads them.
//
//   StatsRegistry stats("segmenter");
//   stats.AddReportsIn();
//   ... stats.RecordLatency(absl::Now() - start);
//   StatsService service(&stats);   // register with the gRPC server
//
// Counters are relaxed atomics: many handler threads bump them and a reader
// needs each value, not a consistent cut across all of them.
#ifndef REPORTPIPE_LIB_SERVER_STATS_H_
#define REPORTPIPE_LIB_SERVER_STATS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "reportpipe/v1/stats.grpc.pb.h"

namespace reportpipe::server {

class StatsRegistry {
 public:
  // Upper bounds of the latency buckets in microseconds, inclusive; one more
  // bucket without a bound takes everything slower. Fixed so that numbers
  // from different servers and runs add up bucket by bucket.
  static constexpr std::array<int64_t, 14> kLatencyBoundsUs = {
      100,   250,   500,    1000,   2500,   5000,    10000,
      25000, 50000, 100000, 250000, 500000, 1000000, 5000000};

  explicit StatsRegistry(std::string service);
  StatsRegistry(const StatsRegistry&) = delete;
  StatsRegistry& operator=(const StatsRegistry&) = delete;

  void AddReportsIn(int64_t n = 1) { Add(reports_in_, n); }
  void AddReportsOut(int64_t n = 1) { Add(reports_out_, n); }
  void AddMetrics(int64_t n = 1) { Add(metrics_, n); }
  void AddErrors(int64_t n = 1) { Add(errors_, n); }
  // Counts one report's time through the server.
  void RecordLatency(absl::Duration latency);

  // The counters now, one bucket per bound plus the open one, in order.
  v1::GetStatsResponse Snapshot() const;

 private:
  static void Add(std::atomic<int64_t>& counter, int64_t n) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }

  const std::string service_;
  const absl::Time start_;
  std::atomic<int64_t> reports_in_{0};
  std::atomic<int64_t> reports_out_{0};
  std::atomic<int64_t> metrics_{0};
  std::atomic<int64_t> errors_{0};
  std::array<std::atomic<int64_t>, kLatencyBoundsUs.size() + 1> buckets_{};
};

// reportpipe.v1.Stats over a registry that outlives it.
class StatsService final : public v1::Stats::CallbackService {
 public:
  explicit StatsService(const StatsRegistry* stats) : stats_(stats) {}

  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;

 private:
  const StatsRegistry* stats_;
};

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_STATS_H_
