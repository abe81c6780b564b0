// reportpipe.v1.Segmenter over gRPC: a thin layer over SegmentReport() that
// maps errors to gRPC codes and counts every report into the server's stats.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_SERVICE_H_
#define REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_SERVICE_H_

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/stats.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "services/segmenter/segmenter.h"

namespace reportpipe::segmenter {

// SubmitReports (the chain through extractor and aggregator) is not
// implemented yet: the generated default answers UNIMPLEMENTED.
class SegmenterService final : public v1::Segmenter::CallbackService {
 public:
  // `stats` must outlive the service.
  SegmenterService(SegmenterOptions options, server::StatsRegistry* stats)
      : options_(options), stats_(stats) {}

  grpc::ServerUnaryReactor* Segment(grpc::CallbackServerContext* context,
                                    const v1::SegmentRequest* request,
                                    v1::SegmentResponse* response) override;

  // One response for each request, in order: the segmented report, or a
  // REJECTED receipt for a report that cannot be segmented, after which the
  // stream goes on with the next report.
  grpc::ServerBidiReactor<v1::SegmentStreamRequest, v1::SegmentStreamResponse>*
  SegmentStream(grpc::CallbackServerContext* context) override;

 private:
  // SegmentReport() with the report counted in, out or as an error, and its
  // latency recorded.
  absl::StatusOr<v1::SegmentedReport> SegmentCounted(const v1::Report& report);
  // One stream answer: the segmented report or a REJECTED receipt.
  void AnswerOne(const v1::Report& report, v1::SegmentStreamResponse* response);

  const SegmenterOptions options_;
  server::StatsRegistry* stats_;
};

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_SERVICE_H_
