// One stage of the chain: a server stream whose requests are processed and
// passed on to the next service's stream, and whose responses are the
// receipts that come back from it.
//
//   caller ──reports──▶ [this stage] ──processed──▶ next stage
//   caller ◀─receipts── [this stage] ◀──receipts─── next stage
//
// - Flow control: at most `window` reports are in flight (sent on, receipt
//   not yet back); the stage reads no more from the caller until one is
//   answered, and gRPC's own flow control holds the caller. No queue grows
//   without bound.
// - A request `process` rejects is answered at once with its receipt; the
//   stream goes on.
// - The downstream call carries the caller's deadline and cancellation.
// - With `max_reports` (> 0), a caller that sends more than that many
//   reports on one stream gets the receipts of the first `max_reports`, then
//   the stream ends RESOURCE_EXHAUSTED: send the rest on a new stream. One
//   stream cannot hold a stage's resources for ever.
// - If the next stage fails, the receipts already back are delivered, then
//   the stream ends with UNAVAILABLE: the caller sends again what has no
//   receipt (the store deduplicates what was committed after all). The
//   failure is seen as soon as a read or write on the next stage's call
//   fails: gRPC reports the call done (OnDone) only once the hold this
//   stage keeps on it for its writes is released, so waiting for OnDone
//   alone would wait forever.
//
// Every reaction decides under the lock what to start and starts it after
// releasing the lock; the stream finishes only after the downstream call is
// done, so no downstream reaction outlives the reactor.
#ifndef REPORTPIPE_LIB_SERVER_RELAY_STREAM_H_
#define REPORTPIPE_LIB_SERVER_RELAY_STREAM_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "lib/server/arena_message.h"
#include "reportpipe/v1/receipt.pb.h"

namespace reportpipe::server {

template <typename InRequest, typename InResponse, typename OutRequest, typename OutResponse>
class RelayStream final : public grpc::ServerBidiReactor<InRequest, InResponse> {
 public:
  struct Hooks {
    // Turns a request into what the next stage takes (returns true), or into
    // a receipt for the caller (returns false).
    std::function<bool(const InRequest&, OutRequest*, v1::Receipt*)> process;
    // Starts the next stage's call with `reactor` (e.g.
    // stub->async()->IngestStream(context, reactor)).
    std::function<void(grpc::ClientContext*, grpc::ClientBidiReactor<OutRequest, OutResponse>*)>
        start_downstream;
    // The receipt inside the next stage's response.
    std::function<const v1::Receipt&(const OutResponse&)> receipt_of;
    // Puts a receipt into this stage's response.
    std::function<void(v1::Receipt, InResponse*)> answer;
    // Called once the stream ends, with its status (for logs).
    std::function<void(const grpc::Status&, int64_t reports)> on_end;
  };

  // `max_reports`: the most reports one stream may carry; 0 for no limit.
  RelayStream(grpc::CallbackServerContext* context, Hooks hooks, int window,
              int64_t max_reports = 0)
      : hooks_(std::move(hooks)), window_(window), max_reports_(max_reports), downstream_(this) {
    downstream_context_ = grpc::ClientContext::FromCallbackServerContext(*context);
    hooks_.start_downstream(downstream_context_.get(), &downstream_);
    // Writes to the next stage start from this stage's reactions, outside
    // the downstream reactor's own: hold it open until the last one.
    downstream_.AddHold();
    downstream_.StartRead(&downstream_response_);
    downstream_.StartCall();
    Act(Next());
  }

  void OnReadDone(bool ok) override {
    // The work runs outside the lock, so receipts keep flowing meanwhile;
    // request_ is safe: no other read starts until reading_ is cleared.
    // Reads come one at a time, so reads_ needs no lock. A report past the
    // limit is not processed: it and the rest go on a new stream.
    const bool over_limit = ok && max_reports_ > 0 && reads_ >= max_reports_;
    if (ok && !over_limit) ++reads_;
    v1::Receipt receipt;
    const bool forward = ok && !over_limit &&
                         hooks_.process(*request_.get(), NewOut(), &receipt);
    // A refused report's partial output (one too large to send, say) is not
    // kept until the next read, which an idle stream may never make.
    if (!forward && out_ != nullptr) out_->Release();
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        reads_done_ = true;
      } else if (over_limit) {
        // Read no more; finish once the reports taken have their receipts.
        reads_done_ = true;
        over_limit_ = true;
      } else {
        ++reports_;
        if (forward) {
          to_send_.push_back(std::move(out_));
          ++in_flight_;
        } else {
          Queue(std::move(receipt));
        }
      }
      a = NextLocked();
    }
    Act(a);
  }

  void OnWriteDone(bool ok) override {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (ok) {
        to_answer_.pop_front();
      } else {
        caller_gone_ = true;
      }
      a = NextLocked();
    }
    Act(a);
  }

  void OnCancel() override {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      caller_gone_ = true;
      a = NextLocked();  // cancels the next stage's call
    }
    Act(a);
  }

  void OnDone() override { delete this; }

 private:
  // The call to the next stage.
  class Downstream final : public grpc::ClientBidiReactor<OutRequest, OutResponse> {
   public:
    explicit Downstream(RelayStream* relay) : relay_(relay) {}
    void OnReadDone(bool ok) override { relay_->OnDownstreamRead(ok); }
    void OnWriteDone(bool ok) override { relay_->OnDownstreamWrite(ok); }
    void OnWritesDoneDone(bool /*ok*/) override {}
    void OnDone(const grpc::Status& status) override { relay_->OnDownstreamDone(status); }

   private:
    RelayStream* relay_;
  };

  struct Actions {
    bool read = false;  // into request_, renewed outside the lock
    const InResponse* answer = nullptr;
    const OutRequest* send = nullptr;
    bool writes_done = false;
    bool release_hold = false;
    bool cancel_downstream = false;
    bool finish = false;
    grpc::Status status;
    // This thread decided to start an operation on the caller's stream: the
    // stream may not finish (and the reactor be deleted) until it has.
    bool counted = false;
  };

  void Queue(v1::Receipt receipt) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    InResponse response;
    hooks_.answer(std::move(receipt), &response);
    to_answer_.push_back(std::move(response));
  }

  Actions Next() {
    absl::MutexLock lock(&mu_);
    return NextLocked();
  }

  Actions NextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Actions a;
    if (finished_) return a;
    // A broken call to the next stage takes no more writes and gives no more
    // receipts: read nothing more from the caller, send nothing more on.
    const bool downstream_over = downstream_broken_ || downstream_done_;
    const bool stopping = caller_gone_ || downstream_over;
    // in_flight_ counts the reports still to send too.
    if (!reading_ && !reads_done_ && !stopping && in_flight_ < window_) {
      reading_ = true;
      a.read = true;
    }
    if (!sending_ && !to_send_.empty() && !downstream_over) {
      sending_ = true;
      a.send = to_send_.front()->get();
    }
    if (!writing_ && !to_answer_.empty() && !caller_gone_) {
      writing_ = true;
      a.answer = &to_answer_.front();
    }
    if (a.read || a.answer != nullptr) {
      ++acting_;
      a.counted = true;
    }
    // All sent on: tell the next stage, and let its call end once it has
    // answered.
    if ((reads_done_ || caller_gone_) && to_send_.empty() && !sending_ && !half_closed_ &&
        !downstream_over) {
      half_closed_ = true;
      a.writes_done = true;
      a.release_hold = true;
    }
    if (caller_gone_ && !cancelled_) {
      cancelled_ = true;
      a.cancel_downstream = true;
    }
    // The next stage's call broke (or the caller left, and the cancel broke
    // it): no more writes will start, so let the call end and report its
    // status. Until then OnDownstreamDone cannot come.
    if (downstream_broken_ && !half_closed_ && !sending_) {
      half_closed_ = true;
      a.release_hold = true;
    }
    // Finish once the next stage is done and every receipt is delivered. A
    // read still pending then completes as cancelled.
    if (downstream_done_ && !writing_ && !sending_ && acting_ == 0 &&
        (to_answer_.empty() || caller_gone_)) {
      finished_ = true;
      a.finish = true;
      if (caller_gone_) {
        a.status = grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away");
      } else if (over_limit_ && downstream_status_.ok() && in_flight_ == 0) {
        a.status = grpc::Status(
            grpc::StatusCode::RESOURCE_EXHAUSTED,
            absl::StrCat("this stream sent more than ", max_reports_,
                         " reports, the most one stream may carry: the first ", max_reports_,
                         " have their receipts; send the rest on a new stream"));
      } else if (downstream_status_.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        // The next stage's call carries the caller's deadline, so it ran
        // out for the caller too. Whichever end noticed first, the caller
        // is told the same thing (under load the downstream call often
        // notices first, and this used to answer UNAVAILABLE).
        a.status = grpc::Status(
            grpc::StatusCode::DEADLINE_EXCEEDED,
            absl::StrCat("the deadline passed; ", in_flight_,
                         " reports sent on have no receipt: send them again"));
      } else if (!downstream_status_.ok() || in_flight_ > 0 || !reads_done_) {
        // Also when the next stage ended early without an error: the caller
        // may still have reports that were never read, so OK would be a lie.
        a.status = grpc::Status(
            grpc::StatusCode::UNAVAILABLE,
            absl::StrCat("the next stage failed (",
                         downstream_status_.ok() ? "it ended the stream early"
                                                 : downstream_status_.error_message(),
                         "); ", in_flight_, " reports sent on have no receipt: send them again"));
      } else {
        a.status = grpc::Status::OK;
      }
      status_ = a.status;
    }
    return a;
  }

  void Act(const Actions& a) {
    if (a.read) this->StartRead(request_.Renew());
    if (a.answer) this->StartWrite(a.answer);
    if (a.cancel_downstream) downstream_context_->TryCancel();
    if (a.send) downstream_.StartWrite(a.send);
    if (a.writes_done) downstream_.StartWritesDone();
    // Last: once the hold is gone the downstream call may end, and with it
    // this reactor, on another thread.
    if (a.release_hold) downstream_.RemoveHold();
    if (a.finish) {
      if (hooks_.on_end) hooks_.on_end(a.status, reports_count());
      this->Finish(a.status);  // the reactor may be gone after this
      return;
    }
    if (a.counted) {
      // The operations this thread decided on are started: the stream may
      // finish now, which another thread may have been waiting to decide.
      Actions next;
      {
        absl::MutexLock lock(&mu_);
        --acting_;
        next = NextLocked();
      }
      Act(next);
    }
  }

  // An empty message on out_'s arena for the next report (only the caller
  // read calls it).
  OutRequest* NewOut() {
    if (out_ == nullptr) out_ = std::make_unique<ArenaMessage<OutRequest>>();
    return out_->Renew();
  }

  int64_t reports_count() {
    absl::MutexLock lock(&mu_);
    return reports_;
  }

  void OnDownstreamRead(bool ok) {
    if (!ok) {
      // The next stage ended its side (after the last receipt, or failing):
      // no more receipts come. Stop writing to it so that its call can end.
      Actions a;
      {
        absl::MutexLock lock(&mu_);
        downstream_broken_ = true;
        a = NextLocked();
      }
      Act(a);
      return;
    }
    {
      absl::MutexLock lock(&mu_);
      --in_flight_;
      Queue(hooks_.receipt_of(downstream_response_));
    }
    downstream_.StartRead(&downstream_response_);
    Act(Next());
  }

  void OnDownstreamWrite(bool ok) {
    Actions a;
    std::unique_ptr<ArenaMessage<OutRequest>> sent;
    {
      absl::MutexLock lock(&mu_);
      sending_ = false;
      // A failed write means the call is ending: the report stays counted
      // in flight, and the caller is told to send it again. Writing it
      // again would fail again, at once, forever.
      if (ok) {
        sent = std::move(to_send_.front());
        to_send_.pop_front();
      } else {
        downstream_broken_ = true;
      }
      a = NextLocked();
    }
    sent.reset();  // its arena's blocks, freed outside the lock
    Act(a);
  }

  void OnDownstreamDone(const grpc::Status& status) {
    Actions a;
    {
      absl::MutexLock lock(&mu_);
      downstream_done_ = true;
      downstream_status_ = status;
      a = NextLocked();
    }
    Act(a);
  }

  Hooks hooks_;
  const int window_;
  const int64_t max_reports_;
  int64_t reads_ = 0;  // only the caller read touches it
  Downstream downstream_;
  std::unique_ptr<grpc::ClientContext> downstream_context_;
  OutResponse downstream_response_;  // only the downstream read touches it
  // Only the caller read touches it. On an arena: proto3's Clear() would
  // free and rebuild the whole report at every read of a reused message.
  ArenaMessage<InRequest> request_;
  // What the next request becomes, built by `process` on an arena of its
  // own: a report's metrics or segments are hundreds of small messages and
  // strings, which an arena hands out from a few blocks and frees at once.
  // Only the caller read touches it; it moves to to_send_ when sent on, and
  // its arena is freed once the write is done.
  std::unique_ptr<ArenaMessage<OutRequest>> out_;

  absl::Mutex mu_;
  std::deque<std::unique_ptr<ArenaMessage<OutRequest>>> to_send_
      ABSL_GUARDED_BY(mu_);
  std::deque<InResponse> to_answer_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int acting_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t reports_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool sending_ ABSL_GUARDED_BY(mu_) = false;
  bool half_closed_ ABSL_GUARDED_BY(mu_) = false;
  bool caller_gone_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool downstream_broken_ ABSL_GUARDED_BY(mu_) = false;
  bool downstream_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool over_limit_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status downstream_status_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

// A stream refused at once with `status`: for a stage started without the
// next stage to pass reports on to.
template <typename Request, typename Response>
class RefusedStream final : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit RefusedStream(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_RELAY_STREAM_H_
