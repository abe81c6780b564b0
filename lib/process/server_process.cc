#include "lib/process/server_process.h"

#include <fcntl.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace reportpipe::process {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::chrono::system_clock::time_point In(absl::Duration d) {
  return absl::ToChronoTime(absl::Now() + d);
}

ServerProcess::~ServerProcess() {
  Kill();
  if (!dir_.empty()) {
    std::remove((dir_ + "/port").c_str());
    rmdir(dir_.c_str());
  }
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

absl::Status ServerProcess::Start(const std::string& binary,
                                  const std::vector<std::string>& extra,
                                  absl::Duration limit) {
  return StartLogged(binary, extra, "", limit);
}

absl::Status ServerProcess::StartLogged(const std::string& binary,
                                        const std::vector<std::string>& extra,
                                        const std::string& log_file,
                                        absl::Duration limit) {
  char dir_template[] = "/tmp/reportpipe_server.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return absl::InternalError("mkdtemp failed");
  }
  dir_ = dir_template;
  const std::string port_file = dir_ + "/port";
  std::vector<std::string> args = {binary, "--listen=127.0.0.1:0",
                                   absl::StrCat("--port_file=", port_file)};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!log_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = 0;
    return absl::InternalError(absl::StrCat("cannot start ", binary));
  }
  // The server writes the port once it accepts calls; wait for it, but not
  // forever, and not past the server's death.
  const absl::Time deadline = absl::Now() + limit;
  while (port_ == 0 && absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return absl::InternalError(
          absl::StrCat(binary, " exited during start-up, status ", status));
    }
    std::ifstream(port_file) >> port_;
    if (port_ == 0) absl::SleepFor(absl::Milliseconds(20));
  }
  if (port_ == 0) {
    return absl::DeadlineExceededError(absl::StrCat("no port file from ", binary));
  }
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  if (!channel_->WaitForConnected(In(absl::Seconds(10)))) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", binary));
  }
  return absl::OkStatus();
}

std::optional<int> ServerProcess::Terminate(absl::Duration limit) {
  if (pid_ <= 0) return std::nullopt;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + limit;
  while (absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return status;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return std::nullopt;
}

void ServerProcess::Kill() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }
}

}  // namespace reportpipe::process
