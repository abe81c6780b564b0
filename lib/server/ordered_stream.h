// A bidirectional stream that answers each request with one response, in
// order: read one, process it, write the answer, read the next. One
// operation is in flight at a time, so the reactor needs no lock, a slow
// client slows the server instead of piling answers up in memory, and the
// order of the answers is the order of the requests.
//
//   grpc::ServerBidiReactor<Req, Resp>* Service::Stream(
//       grpc::CallbackServerContext*) {
//     return new OrderedStream<Req, Resp>(
//         [this](const Req& in, Resp* out) { Process(in, out); });
//   }
//
// Used by every service's single-stage streaming call.
#ifndef REPORTPIPE_LIB_SERVER_ORDERED_STREAM_H_
#define REPORTPIPE_LIB_SERVER_ORDERED_STREAM_H_

#include <functional>
#include <utility>

#include "grpcpp/grpcpp.h"

namespace reportpipe::server {

template <typename Request, typename Response>
class OrderedStream final : public grpc::ServerBidiReactor<Request, Response> {
 public:
  // `process` answers one request; it runs on gRPC's callback thread, so it
  // must not wait on other calls.
  explicit OrderedStream(std::function<void(const Request&, Response*)> process)
      : process_(std::move(process)) {
    this->StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // The client has sent its last request (or went away).
      this->Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    process_(request_, &response_);
    this->StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // The stream is broken; the client will not see this status.
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    this->StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  std::function<void(const Request&, Response*)> process_;
  Request request_;
  Response response_;
};

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_ORDERED_STREAM_H_
