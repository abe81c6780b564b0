// A bidirectional stream that answers each request with one response, in
// order: read one, process it, write the answer, read the next. One
// operation is in flight at a time, so the reactor needs no lock, a slow
// client slows the server instead of piling answers up in memory, and the
// order of the answers is the order of the requests.
//
//   grpc::ServerBidiReactor<Req, Resp>* Service::Stream(
//       grpc::CallbackServerContext*) {
//     return new OrderedStream<Req, Resp>(
//         [this](Req* in, Resp* out) { Process(*in, out); });
//   }
//
// The request and its answer live on one arena, which is emptied once the
// answer is written: `process` may move parts of the request into the
// answer (Swap on one arena exchanges pointers) instead of copying them,
// as ExtractStream does with the report it answers with.
//
// Used by every service's single-stage streaming call.
#ifndef REPORTPIPE_LIB_SERVER_ORDERED_STREAM_H_
#define REPORTPIPE_LIB_SERVER_ORDERED_STREAM_H_

#include <functional>
#include <utility>

#include "grpcpp/grpcpp.h"
#include "lib/server/arena_message.h"

namespace reportpipe::server {

template <typename Request, typename Response>
class OrderedStream final : public grpc::ServerBidiReactor<Request, Response> {
 public:
  // `process` answers one request; it runs on gRPC's callback thread, so it
  // must not wait on other calls. The request is its own to change.
  explicit OrderedStream(std::function<void(Request*, Response*)> process)
      : process_(std::move(process)) {
    this->StartRead(RenewRequest());
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // The client has sent its last request (or went away).
      this->Finish(grpc::Status::OK);
      return;
    }
    Response* response =
        google::protobuf::Arena::CreateMessage<Response>(messages_.arena());
    process_(messages_.get(), response);
    this->StartWrite(response);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // The stream is broken; the client will not see this status.
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    // The answer is written: it and its request go, and the next request
    // is read onto the emptied arena.
    this->StartRead(RenewRequest());
  }

  void OnDone() override { delete this; }

 private:
  Request* RenewRequest() { return messages_.Renew(); }

  std::function<void(Request*, Response*)> process_;
  // The request, and its answer beside it on the same arena
  // (arena_message.h): a report and its segments or metrics are hundreds of
  // small messages and strings, which an arena hands out from a few blocks
  // and frees at once. A reused plain message would not save them: proto3's
  // Clear() frees a singular submessage, so every report was rebuilt from
  // the heap.
  ArenaMessage<Request> messages_;
};

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_ORDERED_STREAM_H_
