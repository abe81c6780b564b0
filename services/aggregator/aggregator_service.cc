#include "services/aggregator/aggregator_service.h"

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "lib/server/arena_message.h"
#include "lib/server/grpc_status.h"
#include "lib/server/receipts.h"

namespace reportpipe::aggregator {
namespace {

// Reads reports as they come, keeps up to kStreamWindow of them waiting for
// their commit, and writes each receipt once its commit is durable. Reads,
// commits and writes overlap, so one stream fills the commit batches; one
// read and one write are in flight at a time, as gRPC requires.
//
// Every reaction decides under the lock what to start, then starts it after
// releasing the lock: gRPC may run the next reaction on another thread at
// once, and nothing touches the reactor after Finish.
//
// Each request is parsed onto an arena of its own (server::ArenaMessage),
// so a report of some 60 metrics is parsed without allocating its messages
// one by one. Once a report's receipt is queued its arena is emptied and
// goes back to a spare list for the next read. A read starts only while
// fewer than kStreamWindow reports are in flight, so at most kStreamWindow
// arenas are ever made.
class IngestStreamReactor final
    : public grpc::ServerBidiReactor<v1::IngestStreamRequest, v1::IngestStreamResponse> {
 public:
  explicit IngestStreamReactor(AggregatorService* service) : service_(service) {
    Act(Next());
  }

  void OnReadDone(bool ok) override {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (ok) {
        ++in_flight_;
        Submit(next_);
      } else {
        reads_done_ = true;
        spare_.push_back(next_);
      }
      next_ = nullptr;
      actions = NextLocked();
    }
    Act(actions);
  }

  void OnWriteDone(bool ok) override {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (ok) {
        pending_.pop_front();
      } else {
        broken_ = true;  // the client is gone; commits still complete
      }
      actions = NextLocked();
    }
    Act(actions);
  }

  void OnCancel() override {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      broken_ = true;
      actions = NextLocked();
    }
    Act(actions);
  }

  // Finish runs only once no commit is in flight, so no receipt callback
  // can reach this reactor after it is deleted.
  void OnDone() override { delete this; }

 private:
  using Request = server::ArenaMessage<v1::IngestStreamRequest>;

  // What to start once the lock is released.
  struct Actions {
    Request* read = nullptr;  // renewed outside the lock, then read into
    const v1::IngestStreamResponse* write = nullptr;
    bool finish = false;
    grpc::Status status;
  };

  Actions Next() {
    absl::MutexLock lock(&mu_);
    return NextLocked();
  }

  Actions NextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Actions a;
    if (finished_) return a;
    if (!reading_ && !reads_done_ && !broken_ && in_flight_ < AggregatorService::kStreamWindow) {
      reading_ = true;
      if (spare_.empty()) {
        owned_.push_back(std::make_unique<Request>());
        spare_.push_back(owned_.back().get());
      }
      next_ = spare_.back();
      spare_.pop_back();
      a.read = next_;
    }
    if (!writing_ && !pending_.empty() && !broken_) {
      writing_ = true;
      a.write = &pending_.front();  // a deque keeps it in place until popped
    }
    const bool drained = reads_done_ && pending_.empty();
    if (in_flight_ == 0 && !reading_ && !writing_ && (drained || broken_)) {
      finished_ = true;
      a.finish = true;
      a.status = broken_ ? grpc::Status(grpc::StatusCode::CANCELLED, "stream broken")
                         : grpc::Status::OK;
    }
    return a;
  }

  void Act(const Actions& a) {
    if (a.read != nullptr) StartRead(a.read->Renew());
    if (a.write != nullptr) StartWrite(a.write);
    if (a.finish) Finish(a.status);  // the reactor may be gone after this
  }

  void Submit(Request* request) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const absl::Time start = absl::Now();
    const v1::ExtractedReport* report = &request->get()->extracted_report();
    // The request stays out of spare_ until its receipt is queued.
    service_->queue()->Submit(
        report, [this, request, report, start](absl::StatusOr<v1::Receipt> r) {
          service_->Count(r, start);
          v1::IngestStreamResponse response;
          *response.mutable_receipt() =
              r.ok() ? *std::move(r)
                     : server::RejectedReceipt(report->report().report_id(),
                                               r.status());
          // The queue is done with the report: free it here, outside the
          // lock, so that a spare arena holds one 16 KiB block at most.
          request->Release();
          Actions actions;
          {
            absl::MutexLock lock(&mu_);
            --in_flight_;
            pending_.push_back(std::move(response));
            spare_.push_back(request);
            actions = NextLocked();
          }
          Act(actions);
        });
  }

  AggregatorService* const service_;
  absl::Mutex mu_;
  // Every request arena this stream made; each is in exactly one of next_,
  // spare_ or the ingest queue.
  std::vector<std::unique_ptr<Request>> owned_ ABSL_GUARDED_BY(mu_);
  std::vector<Request*> spare_ ABSL_GUARDED_BY(mu_);
  Request* next_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::deque<v1::IngestStreamResponse> pending_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

void AggregatorService::Count(const absl::StatusOr<v1::Receipt>& receipt, absl::Time start) {
  stats_->AddReportsIn();
  if (receipt.ok() && receipt->outcome() != v1::RECEIPT_OUTCOME_REJECTED) {
    stats_->AddReportsOut();
    stats_->AddMetrics(receipt->metric_count());
  } else {
    stats_->AddErrors();
  }
  stats_->RecordLatency(absl::Now() - start);
}

grpc::ServerUnaryReactor* AggregatorService::Ingest(grpc::CallbackServerContext* context,
                                                    const v1::IngestRequest* request,
                                                    v1::IngestResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  queue_->Submit(&request->extracted_report(),
                 [this, reactor, response, start](absl::StatusOr<v1::Receipt> receipt) {
                   Count(receipt, start);
                   if (!receipt.ok()) {
                     reactor->Finish(server::ToGrpcStatus(receipt.status()));
                     return;
                   }
                   *response->mutable_receipt() = *std::move(receipt);
                   reactor->Finish(grpc::Status::OK);
                 });
  return reactor;
}

grpc::ServerBidiReactor<v1::IngestStreamRequest, v1::IngestStreamResponse>*
AggregatorService::IngestStream(grpc::CallbackServerContext* /*context*/) {
  return new IngestStreamReactor(this);
}

absl::StatusOr<std::vector<StoredMetric>> AggregatorService::Load(const MetricQuery& query) {
  absl::MutexLock lock(&reader_mu_);
  return reader_->CurrentMetrics(query);
}

grpc::ServerUnaryReactor* AggregatorService::Compare(grpc::CallbackServerContext* context,
                                                     const v1::CompareRequest* request,
                                                     v1::CompareResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Every year of the region: a later report's series and claims fill and
  // check earlier years, and the previous year lies outside the range.
  MetricQuery query;
  query.region = request->region();
  absl::StatusOr<std::vector<StoredMetric>> metrics = Load(query);
  if (metrics.ok()) *response = aggregator::Compare(*metrics, *request, directions_);
  reactor->Finish(server::ToGrpcStatus(metrics.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AggregatorService::CompareRegions(
    grpc::CallbackServerContext* context, const v1::CompareRegionsRequest* request,
    v1::CompareRegionsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->indicator().empty() || request->year() == 0) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "CompareRegions needs an indicator and a year"));
    return reactor;
  }
  absl::StatusOr<std::vector<StoredMetric>> metrics = Load({});
  if (metrics.ok()) *response = aggregator::CompareRegions(*metrics, *request, directions_);
  reactor->Finish(server::ToGrpcStatus(metrics.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AggregatorService::ListReports(grpc::CallbackServerContext* context,
                                                         const v1::ListReportsRequest* request,
                                                         v1::ListReportsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::vector<v1::StoredReport>> reports;
  {
    absl::MutexLock lock(&reader_mu_);
    reports = reader_->ListReports(request->region(), request->include_history());
  }
  if (reports.ok()) {
    for (v1::StoredReport& r : *reports) *response->add_reports() = std::move(r);
  }
  reactor->Finish(server::ToGrpcStatus(reports.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AggregatorService::CheckReport(grpc::CallbackServerContext* context,
                                                         const v1::CheckReportRequest* request,
                                                         v1::CheckReportResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->region().empty() || request->year() == 0) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "CheckReport needs a region and a year"));
    return reactor;
  }
  MetricQuery query;
  query.region = request->region();
  query.from_year = query.to_year = request->year();
  absl::StatusOr<std::vector<StoredMetric>> metrics = Load(query);
  if (!metrics.ok()) {
    reactor->Finish(server::ToGrpcStatus(metrics.status()));
    return reactor;
  }
  // One report version at a time: the checks stay within a report.
  std::map<std::string, std::vector<StoredMetric>> by_report;
  for (StoredMetric& s : *metrics) {
    if (request->report_type() != v1::REPORT_TYPE_UNSPECIFIED &&
        s.report_type != request->report_type()) {
      continue;
    }
    by_report[s.content_hash].push_back(std::move(s));
  }
  if (by_report.empty()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                 absl::StrCat("no stored report of ", request->region(), " for ",
                                              request->year())));
    return reactor;
  }
  for (const auto& [hash, report] : by_report) {
    for (v1::RatioCheck& c : CheckRatios(report)) *response->add_ratio_checks() = std::move(c);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace reportpipe::aggregator
