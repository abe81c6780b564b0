// Sends report files through the chain (Segmenter.SubmitReports) and
// collects a receipt for each.
//
// A stream that breaks (a stage restarted, a deadline) is not the end: the
// reports that got no receipt, or a receipt saying the store could not
// commit them (REJECTED with UNAVAILABLE), are sent again on a new stream,
// with backoff.
// The store deduplicates, so a report committed whose receipt was lost comes
// back DUPLICATE, and each report is stored exactly once. gRPC's own retries
// cannot do this for a long upload stream: their replay buffer is small.
#ifndef REPORTPIPE_CLI_SUBMIT_H_
#define REPORTPIPE_CLI_SUBMIT_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "reportpipe/v1/receipt.pb.h"

namespace reportpipe::cli {

struct SubmitOptions {
  // Streams in a row that settle no report before giving up on the reports
  // still without receipt. A stream that settles some resets the count.
  int max_attempts = 8;
  absl::Duration first_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(5);
  // How long to wait for the segmenter to be reachable before each stream.
  absl::Duration connect_timeout = absl::Seconds(10);
  // The deadline of one stream; it travels down the chain.
  absl::Duration stream_deadline = absl::Minutes(30);
  // "utf-8" or "gb18030".
  std::string encoding = "utf-8";
  // Called after each receipt (for a progress bar): receipts so far, total.
  std::function<void(size_t done, size_t total)> progress;
};

struct SubmitResult {
  // The last receipt of each report, by path.
  std::map<std::string, v1::Receipt> receipts;
  // Reports that never got a receipt.
  std::vector<std::string> unanswered;
  // Streams opened, and the status of the last one that failed.
  int attempts = 0;
  std::string last_error;

  // True when every report was committed (new or duplicate).
  bool AllStored() const;
};

// Submits `paths` to the segmenter at `target`.
SubmitResult SubmitReports(const std::string& target, const std::vector<std::string>& paths,
                           const SubmitOptions& options);

// A summary for a person: counts by outcome and the first rejections.
std::string SubmitSummary(const SubmitResult& result, size_t total);

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_SUBMIT_H_
