// reportpipe.v1.Extractor over gRPC: a thin layer over Extractor::Extract()
// that maps errors to gRPC codes and counts every report into the stats.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_SERVICE_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_SERVICE_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/stats.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"
#include "reportpipe/v1/extractor.grpc.pb.h"
#include "services/extractor/extractor.h"

namespace reportpipe::extractor {

// SubmitSegmentedReports is the middle of the chain: each segmented report
// is extracted here and streamed on to the aggregator, whose receipts come
// back the same way.
class ExtractorService final : public v1::Extractor::CallbackService {
 public:
  // How many reports of one stream may wait for the aggregator at once.
  static constexpr int kChainWindow = 64;

  // `extractor` and `stats` must outlive the service. `aggregator` is the
  // channel to the next stage; without it SubmitSegmentedReports answers
  // FAILED_PRECONDITION.
  // `max_message_bytes` is the link's limit (--max_message_bytes): an
  // extracted report larger than that is refused with its own receipt
  // instead of breaking the link to the aggregator for the whole stream.
  ExtractorService(const Extractor* extractor, server::StatsRegistry* stats,
                   std::shared_ptr<grpc::Channel> aggregator = nullptr,
                   int64_t max_message_bytes = 64 << 20)
      : extractor_(extractor),
        stats_(stats),
        max_message_bytes_(max_message_bytes),
        aggregator_(aggregator ? v1::Aggregator::NewStub(aggregator) : nullptr) {}

  grpc::ServerUnaryReactor* Extract(grpc::CallbackServerContext* context,
                                    const v1::ExtractRequest* request,
                                    v1::ExtractResponse* response) override;

  // One response for each request, in order: the extracted report, or a
  // REJECTED receipt, after which the stream goes on.
  grpc::ServerBidiReactor<v1::ExtractStreamRequest, v1::ExtractStreamResponse>*
  ExtractStream(grpc::CallbackServerContext* context) override;

  grpc::ServerBidiReactor<v1::SubmitSegmentedReportsRequest,
                          v1::SubmitSegmentedReportsResponse>*
  SubmitSegmentedReports(grpc::CallbackServerContext* context) override;

  // ExtractInto() with the report counted and its latency recorded.
  absl::Status ExtractCounted(const v1::SegmentedReport& report,
                              ReportCopy copy, v1::ExtractedReport* out);
  // ExtractMoving() counted the same way.
  absl::Status ExtractCounted(v1::SegmentedReport* report,
                              v1::ExtractedReport* out);

 private:
  absl::Status Counted(const std::function<absl::Status()>& extract,
                       v1::ExtractedReport* out);
  const Extractor* extractor_;
  server::StatsRegistry* stats_;
  const int64_t max_message_bytes_;
  std::unique_ptr<v1::Aggregator::Stub> aggregator_;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_EXTRACTOR_SERVICE_H_
