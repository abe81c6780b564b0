// echo_server: the ceiling for bench/chain_bench.cc. It serves
// reportpipe.v1.Segmenter.SubmitReports and answers each report at once with
// a COMMITTED receipt, doing no work on it. Streaming the same reports through
// it the same way as through the chain measures what gRPC on loopback on this
// machine can carry at that moment; the chain's rate is reported as a ratio
// to it, which drifts far less than absolute rates on a shared machine.
//
//   echo_server --listen=127.0.0.1:0 --port_file=PATH
//
// Takes the same --listen and --port_file as the real servers, so that
// lib/process/ServerProcess starts it the same way.
#include <csignal>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Address to listen on (loopback).");
ABSL_FLAG(std::string, port_file, "", "Where to write the bound port once serving.");

namespace reportpipe::bench {
namespace {

// The same window as the relay (docs/PIPELINE.md): at most this many
// receipts wait to be written before the stream stops reading, so that a
// client that does not read cannot make the echo buffer without bound.
constexpr size_t kWindow = 64;

// One SubmitReports stream: read a report, queue its receipt, write the
// receipts one at a time (gRPC allows one write in flight per stream).
class EchoReactor : public grpc::ServerBidiReactor<v1::SubmitReportsRequest,
                                                   v1::SubmitReportsResponse> {
 public:
  EchoReactor() { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (!ok) {
      reads_done_ = true;
      MaybeFinishLocked();
      return;
    }
    v1::SubmitReportsResponse response;
    v1::Receipt* receipt = response.mutable_receipt();
    receipt->set_report_id(request_.report().id());
    receipt->set_outcome(v1::RECEIPT_OUTCOME_COMMITTED);
    pending_.push_back(std::move(response));
    if (!writing_) WriteNextLocked();
    if (pending_.size() < kWindow) {
      StartRead(&request_);
    } else {
      read_paused_ = true;
    }
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    pending_.pop_front();
    if (!ok) {
      // The client has gone: nothing more can be written.
      pending_.clear();
      failed_ = true;
    }
    if (read_paused_ && !failed_) {
      read_paused_ = false;
      StartRead(&request_);
    }
    if (!pending_.empty()) WriteNextLocked();
    MaybeFinishLocked();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    writing_ = true;
    StartWrite(&pending_.front());
  }

  void MaybeFinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || writing_) return;
    // Finish may come while a read is still outstanding: gRPC then ends
    // that read with ok=false before OnDone.
    if (failed_ || (reads_done_ && pending_.empty())) {
      finished_ = true;
      Finish(failed_ ? grpc::Status(grpc::StatusCode::CANCELLED, "client gone")
                     : grpc::Status::OK);
    }
  }

  absl::Mutex mu_;
  v1::SubmitReportsRequest request_;
  // The front is the receipt being written; it stays until OnWriteDone.
  std::deque<v1::SubmitReportsResponse> pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool read_paused_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool failed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class EchoService final : public v1::Segmenter::CallbackService {
 public:
  grpc::ServerBidiReactor<v1::SubmitReportsRequest, v1::SubmitReportsResponse>*
  SubmitReports(grpc::CallbackServerContext* /*context*/) override {
    return new EchoReactor();
  }
};

}  // namespace
}  // namespace reportpipe::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // Block SIGTERM and SIGINT here and wait for them below, so that the
  // server shuts down cleanly when ServerProcess::Terminate asks.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  reportpipe::bench::EchoService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(),
                           &port);
  // The chain's servers accept messages up to 64 MiB (--max_message_bytes).
  builder.SetMaxReceiveMessageSize(64 << 20);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "echo_server: cannot listen on %s\n",
                 absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }
  if (const std::string path = absl::GetFlag(FLAGS_port_file); !path.empty()) {
    // Written to a temporary name and renamed, so that a reader never sees a
    // half-written port.
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), path.c_str());
  }
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}
