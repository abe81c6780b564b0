#include "cli/submit.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/files.h"
#include "grpcpp/grpcpp.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"

namespace reportpipe::cli {
namespace {

// Codes worth a new stream: the chain or a stage was down or restarting.
bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED || code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::INTERNAL;
}

// A receipt that says "not stored, send again": the aggregator answers a
// report REJECTED with UNAVAILABLE when the transaction of its batch failed
// (ingest_queue.cc), and nothing of that batch was stored. Treating it as
// final would leave the report out although a resend would store it.
bool SendAgain(const v1::Receipt& receipt) {
  return receipt.outcome() == v1::RECEIPT_OUTCOME_REJECTED &&
         receipt.status_code() == static_cast<int>(grpc::StatusCode::UNAVAILABLE);
}

// The largest message the client sends, and the servers' default limit
// (--max_message_bytes).
constexpr int kMaxMessageBytes = 64 << 20;

}  // namespace

bool SubmitResult::AllStored() const {
  if (!unanswered.empty()) return false;
  for (const auto& [path, receipt] : receipts) {
    if (receipt.outcome() != v1::RECEIPT_OUTCOME_COMMITTED &&
        receipt.outcome() != v1::RECEIPT_OUTCOME_DUPLICATE) {
      return false;
    }
  }
  return true;
}

SubmitResult SubmitReports(const std::string& target, const std::vector<std::string>& paths,
                           const SubmitOptions& options) {
  SubmitResult result;
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetLoadBalancingPolicyName("round_robin");
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  auto stub = v1::Segmenter::NewStub(channel);
  std::vector<std::string> pending = paths;
  std::mt19937 jitter(std::random_device{}());
  absl::Duration backoff = options.first_backoff;
  // Streams in a row that answered no report. A stream that answered some
  // (a stage restarted after it had committed part of the batch, or the
  // segmenter's --max_reports_per_stream) is progress, not a failed
  // attempt: each such stream settles at least one report, so the loop
  // still ends, after at most paths.size() + max_attempts streams.
  int fruitless = 0;
  while (!pending.empty() && fruitless < options.max_attempts) {
    ++result.attempts;
    std::uniform_real_distribution<double> spread(0.5, 1.0);
    // Wait a while for the segmenter to come up rather than fail at once.
    if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + options.connect_timeout))) {
      result.last_error = absl::StrCat("cannot reach ", target);
      absl::SleepFor(backoff * spread(jitter));
      backoff = std::min(backoff * 2, options.max_backoff);
      continue;
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options.stream_deadline));
    auto stream = stub->SubmitReports(&context);
    // Files are read one at a time as they are sent: memory stays flat
    // however large the batch. Write blocks while the chain is busy.
    // Receipts given here, for reports too large to send: only the writer
    // touches them until it is joined.
    std::vector<v1::Receipt> refused_here;
    std::thread writer([&stream, &pending, &options, &refused_here] {
      for (const std::string& path : pending) {
        absl::StatusOr<v1::Report> report = LoadReport(path, options.encoding);
        v1::SubmitReportsRequest request;
        if (report.ok()) {
          *request.mutable_report() = *std::move(report);
        } else {
          // Unreadable here: let the chain reject it, so it gets a receipt.
          request.mutable_report()->set_id(path);
        }
        // Sent, a message over the limit would end the whole stream with
        // RESOURCE_EXHAUSTED, and every resend would end it again: the
        // reports after it would never get through. It is refused here.
        if (const size_t bytes = request.ByteSizeLong(); bytes > kMaxMessageBytes) {
          v1::Receipt receipt;
          receipt.set_report_id(path);
          receipt.set_outcome(v1::RECEIPT_OUTCOME_REJECTED);
          receipt.set_status_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
          receipt.set_status_message(absl::StrCat("not sent: the report is ", bytes,
                                                  " bytes as a message, over the message limit "
                                                  "of ", kMaxMessageBytes, " bytes"));
          refused_here.push_back(std::move(receipt));
          continue;
        }
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    v1::SubmitReportsResponse response;
    while (stream->Read(&response)) {
      result.receipts[response.receipt().report_id()] = response.receipt();
      if (options.progress) options.progress(result.receipts.size(), paths.size());
    }
    writer.join();
    for (v1::Receipt& receipt : refused_here) {
      result.receipts[receipt.report_id()] = std::move(receipt);
    }
    const grpc::Status status = stream->Finish();
    std::vector<std::string> still;
    int send_again = 0;
    for (const std::string& path : pending) {
      auto receipt = result.receipts.find(path);
      if (receipt == result.receipts.end()) {
        still.push_back(path);
      } else if (SendAgain(receipt->second)) {
        still.push_back(path);
        ++send_again;
      }
    }
    const bool progress = still.size() < pending.size();
    pending = std::move(still);
    if (status.ok() && pending.empty()) break;
    if (progress) {
      fruitless = 0;
      backoff = options.first_backoff;
    } else {
      ++fruitless;
    }
    result.last_error =
        status.ok() ? absl::StrCat(send_again, " reports not stored yet (",
                                   result.receipts[pending.front()].status_message(), ")")
                    : absl::StrCat(status.error_code(), ": ", status.error_message());
    if (!status.ok() && !Retryable(status.error_code())) break;
    // Back off, with jitter so that many clients do not come back at once.
    absl::SleepFor(backoff * spread(jitter));
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  // What is still pending but has a receipt keeps it (REJECTED, UNAVAILABLE).
  for (const std::string& path : pending) {
    if (!result.receipts.count(path)) result.unanswered.push_back(path);
  }
  return result;
}

std::string SubmitSummary(const SubmitResult& result, size_t total) {
  std::map<v1::ReceiptOutcome, int> counts;
  std::vector<const v1::Receipt*> rejected;
  for (const auto& [path, receipt] : result.receipts) {
    ++counts[receipt.outcome()];
    if (receipt.outcome() == v1::RECEIPT_OUTCOME_REJECTED) rejected.push_back(&receipt);
  }
  std::string out = absl::StrCat(
      total, " reports: ", counts[v1::RECEIPT_OUTCOME_COMMITTED], " committed, ",
      counts[v1::RECEIPT_OUTCOME_DUPLICATE], " already stored, ", rejected.size(), " rejected, ",
      result.unanswered.size(), " without receipt (", result.attempts,
      result.attempts == 1 ? " stream)\n" : " streams)\n");
  for (size_t i = 0; i < rejected.size() && i < 20; ++i) {
    absl::StrAppend(&out, "  rejected ", rejected[i]->report_id(), ": ",
                    rejected[i]->status_message(), "\n");
  }
  if (rejected.size() > 20) absl::StrAppend(&out, "  … and ", rejected.size() - 20, " more\n");
  for (size_t i = 0; i < result.unanswered.size() && i < 20; ++i) {
    absl::StrAppend(&out, "  no receipt ", result.unanswered[i], "\n");
  }
  if (!result.unanswered.empty() && !result.last_error.empty()) {
    absl::StrAppend(&out, "  last error: ", result.last_error, "\n");
  }
  return out;
}

}  // namespace reportpipe::cli
