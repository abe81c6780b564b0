// A reportpipe server binary started as a child process on a loopback port:
// for tests that talk to servers as a deployment would, and for
// `reportpipe run`, which starts the whole chain on one machine.
//
//   ServerProcess server;
//   ASSERT_TRUE(server.Start(SEGMENTER_SERVER_BIN, {"--grace_seconds=5"}).ok());
//   auto stub = v1::Segmenter::NewStub(server.channel());
//   ...
//   EXPECT_EQ(server.Terminate(absl::Seconds(10)), 0);   // SIGTERM, exit code
//
// The server binds 127.0.0.1:0 and reports its port through --port_file;
// every wait has a bound. The destructor kills a server still running.
#ifndef REPORTPIPE_LIB_PROCESS_SERVER_PROCESS_H_
#define REPORTPIPE_LIB_PROCESS_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace reportpipe::process {

class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `binary` with --listen=127.0.0.1:0, --port_file and `args`, and
  // waits (at most `limit`) until it accepts calls.
  absl::Status Start(const std::string& binary,
                     const std::vector<std::string>& args,
                     absl::Duration limit = absl::Seconds(15));

  // As Start, with the child's stderr (its log lines) sent to `log_file`.
  absl::Status StartLogged(const std::string& binary,
                           const std::vector<std::string>& args,
                           const std::string& log_file,
                           absl::Duration limit = absl::Seconds(15));

  int port() const { return port_; }
  std::string address() const;
  pid_t pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  // Sends SIGTERM and waits at most `limit`: the exit status (as waitpid
  // gives it) once the process is gone, nullopt if it is still running.
  std::optional<int> Terminate(absl::Duration limit);

  // SIGKILL, and reap.
  void Kill();

 private:
  std::string dir_;
  pid_t pid_ = 0;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

// The whole content of a file ("" when it cannot be read).
std::string ReadFile(const std::string& path);

// A deadline `d` from now, for grpc::ClientContext::set_deadline.
std::chrono::system_clock::time_point In(absl::Duration d);

}  // namespace reportpipe::process

#endif  // REPORTPIPE_LIB_PROCESS_SERVER_PROCESS_H_
