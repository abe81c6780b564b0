// reportpipe.v1.Extractor over gRPC: a thin layer over Extractor::Extract()
// that maps errors to gRPC codes and counts every report into the stats.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_SERVICE_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_SERVICE_H_

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/stats.h"
#include "reportpipe/v1/extractor.grpc.pb.h"
#include "services/extractor/extractor.h"

namespace reportpipe::extractor {

// SubmitSegmentedReports (the chain on to the aggregator) is not implemented
// yet: the generated default answers UNIMPLEMENTED.
class ExtractorService final : public v1::Extractor::CallbackService {
 public:
  // `extractor` and `stats` must outlive the service.
  ExtractorService(const Extractor* extractor, server::StatsRegistry* stats)
      : extractor_(extractor), stats_(stats) {}

  grpc::ServerUnaryReactor* Extract(grpc::CallbackServerContext* context,
                                    const v1::ExtractRequest* request,
                                    v1::ExtractResponse* response) override;

  // One response for each request, in order: the extracted report, or a
  // REJECTED receipt, after which the stream goes on.
  grpc::ServerBidiReactor<v1::ExtractStreamRequest, v1::ExtractStreamResponse>*
  ExtractStream(grpc::CallbackServerContext* context) override;

  // Extract() with the report counted and its latency recorded.
  absl::StatusOr<v1::ExtractedReport> ExtractCounted(
      const v1::SegmentedReport& report);

 private:
  const Extractor* extractor_;
  server::StatsRegistry* stats_;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_SERVICE_H_
