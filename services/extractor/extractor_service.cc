#include "services/extractor/extractor_service.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "lib/server/grpc_status.h"
#include "lib/server/ordered_stream.h"

namespace reportpipe::extractor {

absl::StatusOr<v1::ExtractedReport> ExtractorService::ExtractCounted(
    const v1::SegmentedReport& report) {
  const absl::Time start = absl::Now();
  stats_->AddReportsIn();
  absl::StatusOr<v1::ExtractedReport> extracted = extractor_->Extract(report);
  if (extracted.ok()) {
    stats_->AddReportsOut();
    stats_->AddMetrics(extracted->metrics_size());
  } else {
    stats_->AddErrors();
  }
  stats_->RecordLatency(absl::Now() - start);
  return extracted;
}

grpc::ServerUnaryReactor* ExtractorService::Extract(
    grpc::CallbackServerContext* context, const v1::ExtractRequest* request,
    v1::ExtractResponse* response) {
  absl::StatusOr<v1::ExtractedReport> extracted =
      ExtractCounted(request->segmented_report());
  if (extracted.ok()) {
    *response->mutable_extracted_report() = *std::move(extracted);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(server::ToGrpcStatus(extracted.status()));
  return reactor;
}

grpc::ServerBidiReactor<v1::ExtractStreamRequest, v1::ExtractStreamResponse>*
ExtractorService::ExtractStream(grpc::CallbackServerContext* /*context*/) {
  return new server::OrderedStream<v1::ExtractStreamRequest,
                                   v1::ExtractStreamResponse>(
      [this](const v1::ExtractStreamRequest& in, v1::ExtractStreamResponse* out) {
        absl::StatusOr<v1::ExtractedReport> extracted =
            ExtractCounted(in.segmented_report());
        if (extracted.ok()) {
          *out->mutable_extracted_report() = *std::move(extracted);
          return;
        }
        v1::Receipt* receipt = out->mutable_receipt();
        receipt->set_report_id(in.segmented_report().report_id());
        receipt->set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
        receipt->set_status_code(static_cast<int>(extracted.status().code()));
        receipt->set_status_message(std::string(extracted.status().message()));
      });
}

}  // namespace reportpipe::extractor
