// Receipts every stage writes for a report it could not take.
#ifndef REPORTPIPE_LIB_SERVER_RECEIPTS_H_
#define REPORTPIPE_LIB_SERVER_RECEIPTS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"
#include "reportpipe/v1/receipt.pb.h"

namespace reportpipe::server {

// A REJECTED receipt for report `id` carrying `status`'s code and message.
inline v1::Receipt RejectedReceipt(const std::string& id, const absl::Status& status) {
  v1::Receipt receipt;
  receipt.set_report_id(id);
  receipt.set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
  receipt.set_status_code(static_cast<int>(status.code()));
  receipt.set_status_message(std::string(status.message()));
  return receipt;
}

// RESOURCE_EXHAUSTED when `message`, about to go to the next stage as
// `what` ("the segmented report"), is larger than that link's message limit.
// Sent anyway, gRPC would fail the whole stream to the next stage, and every
// resend of the report would fail it again: the report must be refused on
// its own, with a receipt.
inline absl::Status CheckMessageSize(const google::protobuf::MessageLite& message,
                                     int64_t max_bytes, absl::string_view what) {
  const size_t bytes = message.ByteSizeLong();
  if (max_bytes <= 0 || bytes <= static_cast<size_t>(max_bytes)) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      what, " would be ", bytes, " bytes, over the message limit of ", max_bytes,
      " bytes on the link to the next stage (--max_message_bytes): split the report"));
}

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_RECEIPTS_H_
