// Receipts every stage writes for a report it could not take.
#ifndef REPORTPIPE_LIB_SERVER_RECEIPTS_H_
#define REPORTPIPE_LIB_SERVER_RECEIPTS_H_

#include <string>

#include "absl/status/status.h"
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

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_RECEIPTS_H_
