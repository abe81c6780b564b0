// reportpipe.v1.Segmenter over gRPC: a thin layer over SegmentReport() that
// maps errors to gRPC codes and counts every report into the server's stats.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_SERVICE_H_
#define REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_SERVICE_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/stats.h"
#include "reportpipe/v1/extractor.grpc.pb.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "services/segmenter/segmenter.h"

namespace reportpipe::segmenter {

// SubmitReports is the head of the chain: each report is segmented here and
// streamed on to the extractor (and from there to the aggregator); the
// receipts come back the same way.
// Limits of SubmitReports, from the server's flags.
struct SubmitLimits {
  // The largest message the link to the extractor takes
  // (--max_message_bytes): a report whose segment tree is larger is refused
  // with its own receipt instead of breaking the link for the whole stream.
  int64_t max_message_bytes = 64 << 20;
  // The most reports one stream may carry (--max_reports_per_stream); 0 for
  // no limit.
  int64_t max_reports_per_stream = 0;
};

class SegmenterService final : public v1::Segmenter::CallbackService {
 public:
  // `stats` must outlive the service.
  // How many reports of one SubmitReports stream may be on their way
  // through the chain at once.
  static constexpr int kChainWindow = 64;

  // `stats` must outlive the service. `extractor` is the channel to the next
  // stage; without it SubmitReports answers FAILED_PRECONDITION.
  SegmenterService(SegmenterOptions options, server::StatsRegistry* stats,
                   std::shared_ptr<grpc::Channel> extractor = nullptr,
                   SubmitLimits limits = SubmitLimits())
      : options_(options),
        limits_(limits),
        stats_(stats),
        extractor_(extractor ? v1::Extractor::NewStub(extractor) : nullptr) {}

  grpc::ServerUnaryReactor* Segment(grpc::CallbackServerContext* context,
                                    const v1::SegmentRequest* request,
                                    v1::SegmentResponse* response) override;

  // One response for each request, in order: the segmented report, or a
  // REJECTED receipt for a report that cannot be segmented, after which the
  // stream goes on with the next report.
  grpc::ServerBidiReactor<v1::SegmentStreamRequest, v1::SegmentStreamResponse>*
  SegmentStream(grpc::CallbackServerContext* context) override;

 private:
  grpc::ServerBidiReactor<v1::SubmitReportsRequest, v1::SubmitReportsResponse>*
  SubmitReports(grpc::CallbackServerContext* context) override;

  // SegmentReportInto() with the report counted in, out or as an error, and
  // its latency recorded.
  absl::Status SegmentCounted(const v1::Report& report,
                              v1::SegmentedReport* out);
  // One stream answer: the segmented report or a REJECTED receipt.
  void AnswerOne(const v1::Report& report, v1::SegmentStreamResponse* response);

  const SegmenterOptions options_;
  const SubmitLimits limits_;
  server::StatsRegistry* stats_;
  std::unique_ptr<v1::Extractor::Stub> extractor_;
};

}  // namespace reportpipe::segmenter

#endif  // REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_SERVICE_H_
