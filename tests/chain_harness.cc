#include "tests/chain_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "tests/synthetic_region.h"

extern char** environ;

namespace reportpipe::chaintest {

using ::reportpipe::process::In;
using ::reportpipe::process::ReadFile;
using ::reportpipe::process::ServerProcess;
namespace health = grpc::health::v1;

std::string SyntheticRegion(int i) {
  return testing::SyntheticRegion(i, "测试");
}

std::string SyntheticText(const std::string& pingluo, int i) {
  return absl::StrReplaceAll(pingluo, {{"平罗县", SyntheticRegion(i)}});
}

std::string ShortSyntheticText(int i) {
  const std::string region = SyntheticRegion(i);
  return absl::StrCat(region, "2023年法治政府建设年度报告\n", "一、主要工作\n", "2023年，", region,
                      "全年办理行政复议案件", 10 + i % 90, "件，行政诉讼败诉率为", i % 20,
                      ".5%，较上年下降1.2个百分点。\n", "二、下一步工作\n",
                      "继续推进严格规范公正文明执法。\n");
}

absl::Status WriteSyntheticBatch(const std::string& dir, int count,
                                 const std::function<std::string(int)>& text) {
  for (int i = 1; i <= count; ++i) {
    const std::string path = absl::StrCat(dir, "/synthetic-", i, ".txt");
    std::ofstream out(path);
    out << text(i);
    if (!out.good()) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

bool WaitFor(absl::Duration limit, const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + limit;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

HealthStatus Health(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  health::HealthCheckRequest request;
  request.set_service(service);
  health::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(5)));
  if (!health::Health::NewStub(channel)->Check(&context, request, &response).ok()) {
    return health::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

absl::StatusOr<v1::GetStatsResponse> GetStats(const std::shared_ptr<grpc::Channel>& channel) {
  v1::GetStatsResponse response;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(5)));
  const grpc::Status status = v1::Stats::NewStub(channel)->GetStats(&context, {}, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response;
}

std::string Tail(const std::string& path, size_t bytes) {
  const std::string log = ReadFile(path);
  return log.size() <= bytes ? log : log.substr(log.size() - bytes);
}

// Another process could take the port between its release and its use; on
// a test machine that is rare enough, and the test then fails rather than
// passes wrongly.
int UnusedLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

pid_t Spawn(std::vector<std::string> args, const std::string& log) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = 0;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Whether `pid` is still running, without reaping it: the ServerProcess or
// ChildProcess that owns it reaps it, so its pid is never reused under it.
bool Alive(pid_t pid) {
  if (pid <= 0) return false;
  siginfo_t info = {};
  return waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool ChildProcess::running() const { return Alive(pid_); }

std::optional<int> ChildProcess::Wait(absl::Duration limit) {
  int status = 0;
  if (pid_ <= 0) return std::nullopt;
  if (!WaitFor(limit, [&] { return waitpid(pid_, &status, WNOHANG) == pid_; })) {
    return std::nullopt;
  }
  pid_ = 0;
  return status;
}

StreamResult SubmitStream(const std::shared_ptr<grpc::Channel>& channel, int count,
                          const std::function<v1::Report(int)>& report,
                          absl::Duration deadline) {
  StreamResult result;
  grpc::ClientContext context;
  context.set_deadline(In(deadline));
  auto stub = v1::Segmenter::NewStub(channel);
  auto stream = stub->SubmitReports(&context);
  std::thread writer([&] {
    for (int i = 0; i < count; ++i) {
      v1::SubmitReportsRequest request;
      *request.mutable_report() = report(i);
      if (!stream->Write(request)) break;
      ++result.written;
    }
    stream->WritesDone();
  });
  v1::SubmitReportsResponse response;
  while (stream->Read(&response)) result.receipts.push_back(response.receipt());
  writer.join();
  result.status = stream->Finish();
  return result;
}

StreamResult SubmitReports(const std::shared_ptr<grpc::Channel>& channel,
                           const std::vector<v1::Report>& reports, absl::Duration deadline) {
  return SubmitStream(
      channel, static_cast<int>(reports.size()), [&](int i) { return reports[i]; }, deadline);
}

std::map<std::string, v1::Receipt> ById(const std::vector<v1::Receipt>& receipts) {
  std::map<std::string, v1::Receipt> out;
  for (const v1::Receipt& r : receipts) out[r.report_id()] = r;
  return out;
}

std::shared_ptr<grpc::Channel> LargeMessageChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 << 20);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

const char* StageName(Stage stage) {
  switch (stage) {
    case Stage::kSegmenter:
      return "segmenter";
    case Stage::kExtractor:
      return "extractor";
    case Stage::kAggregator:
      return "aggregator";
  }
  return "unknown";
}

std::string Chain::LogOf(Stage stage) const {
  return absl::StrCat(dir_, "/", StageName(stage), ".log");
}

absl::Status Chain::StartStage(Stage stage, std::vector<std::string> flags) {
  static const char* const kBinaries[] = {SEGMENTER_SERVER_BIN, EXTRACTOR_SERVER_BIN,
                                          AGGREGATOR_SERVER_BIN};
  auto server = std::make_unique<ServerProcess>();
  // ServerProcess passes --listen=127.0.0.1:0 first; a later --listen wins.
  if (ports_[Index(stage)] != 0) {
    flags.push_back(absl::StrCat("--listen=127.0.0.1:", ports_[Index(stage)]));
  }
  absl::Status started = server->StartLogged(kBinaries[Index(stage)], flags, LogOf(stage));
  if (!started.ok()) {
    return absl::Status(started.code(),
                        absl::StrCat(StageName(stage), ": ", started.message(), "\n",
                                     Tail(LogOf(stage))));
  }
  ports_[Index(stage)] = server->port();
  servers_[Index(stage)] = std::move(server);
  return absl::OkStatus();
}

absl::Status Chain::Start(const std::string& store,
                          std::map<Stage, std::vector<std::string>> extra) {
  flags_[Index(Stage::kAggregator)] = {absl::StrCat("--store=", store)};
  for (std::vector<std::string>& flags : flags_) flags.push_back("--grace_seconds=5");
  for (Stage stage : {Stage::kSegmenter, Stage::kExtractor, Stage::kAggregator}) {
    for (const std::string& flag : extra[stage]) flags_[Index(stage)].push_back(flag);
  }
  if (absl::Status s = StartStage(Stage::kAggregator, flags_[Index(Stage::kAggregator)]);
      !s.ok()) {
    return s;
  }
  flags_[Index(Stage::kExtractor)].push_back(
      absl::StrCat("--aggregator=", address(Stage::kAggregator)));
  if (absl::Status s = StartStage(Stage::kExtractor, flags_[Index(Stage::kExtractor)]);
      !s.ok()) {
    return s;
  }
  flags_[Index(Stage::kSegmenter)].push_back(
      absl::StrCat("--extractor=", address(Stage::kExtractor)));
  if (absl::Status s = StartStage(Stage::kSegmenter, flags_[Index(Stage::kSegmenter)]);
      !s.ok()) {
    return s;
  }
  return AllServing();
}

void Chain::Kill(Stage stage) {
  if (servers_[Index(stage)] != nullptr) servers_[Index(stage)]->Kill();
}

absl::Status Chain::Restart(Stage stage) {
  Kill(stage);
  absl::Status started;
  for (int attempt = 0; attempt < 20; ++attempt) {
    started = StartStage(stage, flags_[Index(stage)]);
    if (started.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  if (!started.ok()) return started;
  return AllServing(absl::Seconds(30));
}

absl::Status Chain::AllServing(absl::Duration limit) {
  for (Stage stage : {Stage::kAggregator, Stage::kExtractor, Stage::kSegmenter}) {
    ServerProcess* server = servers_[Index(stage)].get();
    if (server == nullptr || !Alive(server->pid())) {
      return absl::UnavailableError(absl::StrCat(StageName(stage), " is not running\n",
                                                 Tail(LogOf(stage))));
    }
    if (!WaitFor(limit, [&] {
          return Health(server->channel()) == health::HealthCheckResponse::SERVING;
        })) {
      return absl::UnavailableError(absl::StrCat(StageName(stage), " at ", server->address(),
                                                 " is not SERVING\n", Tail(LogOf(stage))));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::StoredReport>> Chain::List(bool include_history) {
  v1::ListReportsRequest request;
  request.set_include_history(include_history);
  v1::ListReportsResponse response;
  grpc::ClientContext context;
  context.set_deadline(In(absl::Seconds(30)));
  auto channel = LargeMessageChannel(address(Stage::kAggregator));
  const grpc::Status status =
      v1::Aggregator::NewStub(channel)->ListReports(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return std::vector<v1::StoredReport>(response.reports().begin(), response.reports().end());
}

}  // namespace reportpipe::chaintest
