// reportpipe.v1.Aggregator over gRPC: ingests through the group-commit queue,
// answers queries from a separate read connection, so that queries never see
// a transaction in progress, and counts everything into the stats.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_AGGREGATOR_SERVICE_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_AGGREGATOR_SERVICE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/stats.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"
#include "services/aggregator/comparison.h"
#include "services/aggregator/ingest_queue.h"
#include "services/aggregator/store.h"

namespace reportpipe::aggregator {

class AggregatorService final : public v1::Aggregator::CallbackService {
 public:
  // How many reports of one stream may wait for their commit at once; the
  // stream reads no further until one is answered, so a slow store slows
  // the sender instead of filling memory.
  static constexpr int kStreamWindow = 64;

  // `queue`, `reader` and `stats` must outlive the service. `reader` is a
  // store used for queries only.
  AggregatorService(IngestQueue* queue, Store* reader, Directions directions,
                    server::StatsRegistry* stats)
      : queue_(queue), reader_(reader), directions_(std::move(directions)), stats_(stats) {}

  grpc::ServerUnaryReactor* Ingest(grpc::CallbackServerContext* context,
                                   const v1::IngestRequest* request,
                                   v1::IngestResponse* response) override;
  grpc::ServerBidiReactor<v1::IngestStreamRequest, v1::IngestStreamResponse>*
  IngestStream(grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* Compare(grpc::CallbackServerContext* context,
                                    const v1::CompareRequest* request,
                                    v1::CompareResponse* response) override;
  grpc::ServerUnaryReactor* CompareRegions(grpc::CallbackServerContext* context,
                                           const v1::CompareRegionsRequest* request,
                                           v1::CompareRegionsResponse* response) override;
  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* context,
                                        const v1::ListReportsRequest* request,
                                        v1::ListReportsResponse* response) override;
  grpc::ServerUnaryReactor* CheckReport(grpc::CallbackServerContext* context,
                                        const v1::CheckReportRequest* request,
                                        v1::CheckReportResponse* response) override;

  // Counts one report's answer into the stats.
  void Count(const absl::StatusOr<v1::Receipt>& receipt, absl::Time start);

  IngestQueue* queue() { return queue_; }

 private:
  absl::StatusOr<std::vector<StoredMetric>> Load(const MetricQuery& query);

  IngestQueue* const queue_;
  absl::Mutex reader_mu_;
  Store* const reader_ ABSL_PT_GUARDED_BY(reader_mu_);
  const Directions directions_;
  server::StatsRegistry* const stats_;
};

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_AGGREGATOR_SERVICE_H_
