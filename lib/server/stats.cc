#include "lib/server/stats.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace reportpipe::server {

StatsRegistry::StatsRegistry(std::string service)
    : service_(std::move(service)), start_(absl::Now()) {}

void StatsRegistry::RecordLatency(absl::Duration latency) {
  const int64_t us = absl::ToInt64Microseconds(latency);
  // The first bound at or above the latency; past the end is the open bucket.
  const size_t bucket =
      std::lower_bound(kLatencyBoundsUs.begin(), kLatencyBoundsUs.end(), us) -
      kLatencyBoundsUs.begin();
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
}

v1::GetStatsResponse StatsRegistry::Snapshot() const {
  v1::GetStatsResponse out;
  out.set_service(service_);
  out.set_reports_in(reports_in_.load(std::memory_order_relaxed));
  out.set_reports_out(reports_out_.load(std::memory_order_relaxed));
  out.set_metrics(metrics_.load(std::memory_order_relaxed));
  out.set_errors(errors_.load(std::memory_order_relaxed));
  for (size_t i = 0; i < buckets_.size(); ++i) {
    v1::LatencyBucket* bucket = out.add_latency();
    bucket->set_upper_bound_us(i < kLatencyBoundsUs.size() ? kLatencyBoundsUs[i]
                                                           : 0);
    bucket->set_count(buckets_[i].load(std::memory_order_relaxed));
  }
  out.set_uptime_seconds(absl::ToInt64Seconds(absl::Now() - start_));
  return out;
}

grpc::ServerUnaryReactor* StatsService::GetStats(
    grpc::CallbackServerContext* context,
    const v1::GetStatsRequest* /*request*/, v1::GetStatsResponse* response) {
  *response = stats_->Snapshot();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace reportpipe::server
