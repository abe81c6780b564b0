// chain_bench: the whole chain end to end, beside its ceiling measured in the
// same run.
//
// Starts the three servers as child processes on loopback (a temporary
// SQLite store), then:
//   1. idle latency: one report at a time on one open stream, each sent only
//      once the previous one's receipt is back (--idle_reports times);
//   2. load: --reports SYNTHETIC sample-sized reports (the real 平罗县 report
//      with the county renamed, a new county each, so none is a duplicate),
//      over --streams SubmitReports streams, writes pipelined by a writer
//      thread per stream while the caller reads receipts. Each report's send
//      time is kept by id; its latency ends when its receipt arrives. Each
//      server's RSS is polled meanwhile, and its VmHWM read at the end.
// The ceiling: bench/echo_server, which answers each report with a receipt
// at once, gets the same messages the same way, before and after the chain
// (its mean is the ceiling; the two show how much the machine drifted).
//
// Ends with one `name=value` line per figure for scripts/bench. Exits 1 when
// a report got no COMMITTED receipt: the smoke (ctest bench_smoke) relies on
// that, never on a timing.
//
//   chain_bench [--reports=20000] [--streams=1] [--idle_reports=200]
//               [--idle_trace=FILE]
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "lib/process/server_process.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "tests/chain_harness.h"

ABSL_FLAG(int, reports, 20000, "Reports streamed through the chain (and the echo) under load.");
ABSL_FLAG(int, streams, 1, "SubmitReports streams the load is spread over.");
ABSL_FLAG(int, idle_reports, 200, "Reports sent one at a time through the idle chain.");
ABSL_FLAG(int, warmup_reports, 20, "Reports sent first, not measured.");
ABSL_FLAG(int, deadline_seconds, 600, "The most any one stream may take.");
ABSL_FLAG(std::string, idle_trace, "",
          "When set, a file to write each idle report's latency to (ms, one a "
          "line, in the order sent): shows whether the slow ones recur.");

namespace reportpipe::bench {
namespace {

using chaintest::Chain;
using chaintest::Stage;
using process::ServerProcess;

constexpr char kIdPrefix[] = "bench-";

int64_t NowNanos() { return absl::GetCurrentTimeNanos(); }

// One value a line; false (and a message) when the file cannot be written.
bool WriteLines(const std::string& path, const std::vector<double>& values) {
  std::ofstream out(path);
  for (const double v : values) out << absl::StrFormat("%.3f\n", v);
  out.close();
  if (!out) absl::FPrintF(stderr, "chain_bench: cannot write %s\n", path);
  return static_cast<bool>(out);
}

// Nearest rank: the smallest value at or above fraction q of the sample.
double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// A /proc/PID/status field in KiB (VmRSS, VmHWM); 0 when it cannot be read.
int64_t StatusKib(pid_t pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (!absl::StartsWith(line, field + ":")) continue;
    int64_t kib = 0;
    std::string digits;
    for (char c : line) {
      if (c >= '0' && c <= '9') digits += c;
    }
    return absl::SimpleAtoi(digits, &kib) ? kib : 0;
  }
  return 0;
}

// The CPU time (user + system) a process has used so far, in seconds; 0 when
// /proc cannot be read. Fields 14 and 15 of /proc/PID/stat, in clock ticks;
// the command name (field 2) may hold spaces, so fields count from its ')'.
double CpuSeconds(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return 0;
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(line.substr(paren + 2), ' ');
  // After ')': field 3 (state) is index 0, so utime (14) is index 11.
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return 0;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Polls the VmRSS of some processes every 50 ms and keeps each one's largest.
class RssPoller {
 public:
  explicit RssPoller(std::vector<pid_t> pids)
      : pids_(std::move(pids)), max_kib_(pids_.size()) {
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        for (size_t i = 0; i < pids_.size(); ++i) {
          const int64_t kib = StatusKib(pids_[i], "VmRSS");
          if (kib > max_kib_[i].load()) max_kib_[i].store(kib);
        }
        absl::SleepFor(absl::Milliseconds(50));
      }
    });
  }
  ~RssPoller() { Stop(); }
  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  int64_t MaxKib(size_t i) const { return max_kib_[i].load(); }

 private:
  std::vector<pid_t> pids_;
  std::vector<std::atomic<int64_t>> max_kib_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The messages: report i is the sample with its county renamed to the i-th
// synthetic county, id "bench-i". Built before any timing, so that making
// them costs neither the chain nor the echo anything.
std::vector<v1::SubmitReportsRequest> MakeRequests(const std::string& sample, int first,
                                                   int count) {
  std::vector<v1::SubmitReportsRequest> requests(count);
  for (int k = 0; k < count; ++k) {
    v1::Report* report = requests[k].mutable_report();
    report->set_id(absl::StrCat(kIdPrefix, first + k));
    report->set_text(chaintest::SyntheticText(sample, first + k));
  }
  return requests;
}

// The index into the batch of a receipt's report id, -1 if it is not one of ours.
int IndexOf(const std::string& report_id, int first, int count) {
  int i = 0;
  if (!absl::StartsWith(report_id, kIdPrefix) ||
      !absl::SimpleAtoi(absl::string_view(report_id).substr(sizeof(kIdPrefix) - 1), &i)) {
    return -1;
  }
  i -= first;
  return i >= 0 && i < count ? i : -1;
}

struct RunResult {
  double seconds = 0;
  int committed = 0;
  int other = 0;  // receipts that are not COMMITTED
  std::string first_other;
  std::vector<double> latencies_ms;
  std::vector<std::string> stream_errors;

  int missing(int count) const { return count - committed - other; }
  double rate() const { return seconds > 0 ? committed / seconds : 0; }
};

void Tally(const v1::Receipt& receipt, RunResult* result) {
  if (receipt.outcome() == v1::RECEIPT_OUTCOME_COMMITTED) {
    ++result->committed;
  } else {
    if (result->other == 0) {
      result->first_other = absl::StrCat(receipt.report_id(), ": outcome ", receipt.outcome(),
                                         ", ", receipt.status_message());
    }
    ++result->other;
  }
}

// Streams `requests` over `streams` SubmitReports streams, writes pipelined:
// each stream's writer thread writes its share (every streams-th request)
// while the stream's reader takes receipts as they come.
RunResult Pipelined(const std::shared_ptr<grpc::Channel>& channel,
                    const std::vector<v1::SubmitReportsRequest>& requests, int first,
                    int streams) {
  const int count = static_cast<int>(requests.size());
  std::vector<std::atomic<int64_t>> sent_ns(count);
  std::vector<RunResult> per_stream(streams);
  auto stub = v1::Segmenter::NewStub(channel);
  const absl::Duration deadline = absl::Seconds(absl::GetFlag(FLAGS_deadline_seconds));
  const int64_t start_ns = NowNanos();
  std::vector<std::thread> readers;
  for (int s = 0; s < streams; ++s) {
    readers.emplace_back([&, s] {
      RunResult& result = per_stream[s];
      grpc::ClientContext context;
      context.set_deadline(process::In(deadline));
      auto stream = stub->SubmitReports(&context);
      std::thread writer([&] {
        for (int i = s; i < count; i += streams) {
          sent_ns[i].store(NowNanos(), std::memory_order_release);
          if (!stream->Write(requests[i])) break;
        }
        stream->WritesDone();
      });
      v1::SubmitReportsResponse response;
      while (stream->Read(&response)) {
        const int64_t now = NowNanos();
        const int i = IndexOf(response.receipt().report_id(), first, count);
        if (i >= 0) {
          result.latencies_ms.push_back(
              static_cast<double>(now - sent_ns[i].load(std::memory_order_acquire)) / 1e6);
        }
        Tally(response.receipt(), &result);
      }
      writer.join();
      const grpc::Status status = stream->Finish();
      if (!status.ok()) {
        result.stream_errors.push_back(
            absl::StrCat("stream ", s, ": ", status.error_code(), " ", status.error_message()));
      }
    });
  }
  for (std::thread& t : readers) t.join();
  RunResult total;
  total.seconds = static_cast<double>(NowNanos() - start_ns) / 1e9;
  for (RunResult& r : per_stream) {
    total.committed += r.committed;
    if (total.other == 0) total.first_other = r.first_other;
    total.other += r.other;
    total.latencies_ms.insert(total.latencies_ms.end(), r.latencies_ms.begin(),
                              r.latencies_ms.end());
    total.stream_errors.insert(total.stream_errors.end(), r.stream_errors.begin(),
                               r.stream_errors.end());
  }
  return total;
}

// One report at a time on one open stream: write, wait for its receipt,
// then the next. The time of each round trip through a chain doing nothing
// else.
RunResult OneAtATime(const std::shared_ptr<grpc::Channel>& channel,
                     const std::vector<v1::SubmitReportsRequest>& requests) {
  RunResult result;
  auto stub = v1::Segmenter::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(process::In(absl::Seconds(absl::GetFlag(FLAGS_deadline_seconds))));
  auto stream = stub->SubmitReports(&context);
  const int64_t start_ns = NowNanos();
  for (const v1::SubmitReportsRequest& request : requests) {
    const int64_t sent = NowNanos();
    v1::SubmitReportsResponse response;
    if (!stream->Write(request) || !stream->Read(&response)) break;
    result.latencies_ms.push_back(static_cast<double>(NowNanos() - sent) / 1e6);
    Tally(response.receipt(), &result);
  }
  result.seconds = static_cast<double>(NowNanos() - start_ns) / 1e9;
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) {
    result.stream_errors.push_back(
        absl::StrCat(status.error_code(), " ", status.error_message()));
  }
  return result;
}

// Prints a run's figures for a person and says whether every report got a
// COMMITTED receipt.
bool Check(const std::string& what, const RunResult& r, int count) {
  absl::PrintF("# %-16s %6d reports in %7.3f s: %8.1f reports/s, p50 %8.3f ms, p99 %8.3f ms, "
               "committed %d, other %d, missing %d\n",
               what, count, r.seconds, r.rate(), Percentile(r.latencies_ms, 0.50),
               Percentile(r.latencies_ms, 0.99), r.committed, r.other, r.missing(count));
  for (const std::string& e : r.stream_errors) absl::PrintF("#   stream error: %s\n", e);
  if (r.other > 0) absl::PrintF("#   first non-COMMITTED receipt: %s\n", r.first_other);
  return r.committed == count && r.stream_errors.empty();
}

// The disk's own floor under a durable commit: `count` appends of 4 KiB to a
// file beside the store, each followed by fdatasync (what SQLite does for
// each COMMIT in WAL mode with synchronous=FULL), in ms.
std::vector<double> FsyncLatencies(const std::string& dir, int count) {
  std::vector<double> ms;
  const std::string path = dir + "/fsync_probe";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return ms;
  const std::string page(4096, 'x');
  for (int i = 0; i < count; ++i) {
    const int64_t start = NowNanos();
    if (pwrite(fd, page.data(), page.size(), static_cast<off_t>(i) * 4096) !=
            static_cast<ssize_t>(page.size()) ||
        fdatasync(fd) != 0) {
      break;
    }
    ms.push_back(static_cast<double>(NowNanos() - start) / 1e6);
  }
  close(fd);
  unlink(path.c_str());
  return ms;
}

std::string MakeTempDir() {
  char dir[] = "/tmp/reportpipe_chain_bench.XXXXXX";
  return mkdtemp(dir) == nullptr ? "" : dir;
}

double Mib(int64_t kib) { return static_cast<double>(kib) / 1024.0; }

int Run() {
  const int reports = absl::GetFlag(FLAGS_reports);
  const int streams = absl::GetFlag(FLAGS_streams);
  const int idle = absl::GetFlag(FLAGS_idle_reports);
  const int warmup = absl::GetFlag(FLAGS_warmup_reports);
  if (reports < 1 || streams < 1 || idle < 1 || warmup < 0) {
    absl::FPrintF(stderr, "chain_bench: --reports, --streams and --idle_reports must be "
                          "positive, --warmup_reports not negative\n");
    return 2;
  }
  const std::string sample =
      process::ReadFile(REPORTPIPE_SOURCE_DIR "/../shared/corpus/pingluo-2023.txt");
  if (sample.empty()) {
    absl::FPrintF(stderr, "chain_bench: cannot read the sample report\n");
    return 2;
  }
  // Distinct counties for every phase: warm-up, idle, load, and the same
  // again for the echo (which stores nothing, so it may reuse them).
  const int warmup_first = 1;
  const int idle_first = warmup_first + warmup;
  const int load_first = idle_first + idle;
  const std::vector<v1::SubmitReportsRequest> warmup_requests =
      MakeRequests(sample, warmup_first, warmup);
  const std::vector<v1::SubmitReportsRequest> idle_requests =
      MakeRequests(sample, idle_first, idle);
  const std::vector<v1::SubmitReportsRequest> load_requests =
      MakeRequests(sample, load_first, reports);
  absl::PrintF("# %d sample-sized SYNTHETIC reports (%d bytes each on average), %d stream(s)\n",
               reports, static_cast<int>(sample.size()), streams);

  const std::string dir = MakeTempDir();
  if (dir.empty()) {
    absl::FPrintF(stderr, "chain_bench: mkdtemp failed\n");
    return 2;
  }
  bool ok = true;

  // The echo, before the chain.
  auto echo_run = [&](RunResult* load, RunResult* idle_run, int64_t* hwm_kib) {
    ServerProcess echo;
    if (absl::Status s = echo.StartLogged(ECHO_SERVER_BIN, {}, dir + "/echo.log"); !s.ok()) {
      absl::FPrintF(stderr, "chain_bench: echo_server: %s\n", s.ToString());
      return false;
    }
    auto channel = chaintest::LargeMessageChannel(echo.address());
    Pipelined(channel, warmup_requests, warmup_first, 1);
    *idle_run = OneAtATime(channel, idle_requests);
    *load = Pipelined(channel, load_requests, load_first, streams);
    *hwm_kib = std::max(*hwm_kib, StatusKib(echo.pid(), "VmHWM"));
    channel.reset();
    const absl::Time stop = absl::Now();
    echo.Terminate(absl::Seconds(5));
    absl::PrintF("# echo stopped in %.2f s\n", absl::ToDoubleSeconds(absl::Now() - stop));
    return true;
  };
  RunResult echo_before, echo_after, echo_idle_before, echo_idle_after;
  int64_t echo_hwm_kib = 0;
  ok = echo_run(&echo_before, &echo_idle_before, &echo_hwm_kib) && ok;
  ok = Check("echo (before)", echo_before, reports) && ok;

  // The chain.
  RunResult chain_load, chain_idle;
  std::vector<double> fsync_ms;
  std::vector<int64_t> rss_max_kib(3), hwm_kib(3);
  // CPU seconds each stage spent on the load, and the caller's own.
  std::vector<double> load_cpu_s(3);
  double caller_cpu_s = 0;
  {
    Chain chain(dir);
    const absl::Time start = absl::Now();
    // No per-stream cap: one stream may carry the whole batch. A grace of
    // 1 s (the last --grace_seconds wins over the harness's 5): each stage
    // here takes its whole grace to stop even when idle, and the bench does
    // not measure draining.
    const absl::Status started = chain.Start(
        dir + "/store.db", {{Stage::kSegmenter, {"--max_reports_per_stream=0", "--grace_seconds=1"}},
                            {Stage::kExtractor, {"--grace_seconds=1"}},
                            {Stage::kAggregator, {"--grace_seconds=1"}}});
    if (!started.ok()) {
      absl::FPrintF(stderr, "chain_bench: the chain did not start: %s\n", started.ToString());
      std::filesystem::remove_all(dir);
      return 1;
    }
    absl::PrintF("# chain started and SERVING in %.2f s\n",
                 absl::ToDoubleSeconds(absl::Now() - start));
    auto channel = chaintest::LargeMessageChannel(chain.address(Stage::kSegmenter));
    const RunResult warm = Pipelined(channel, warmup_requests, warmup_first, 1);
    ok = Check("chain warm-up", warm, warmup) && ok;
    chain_idle = OneAtATime(channel, idle_requests);
    ok = Check("chain idle", chain_idle, idle) && ok;
    if (const std::string trace = absl::GetFlag(FLAGS_idle_trace);
        !trace.empty()) {
      ok = WriteLines(trace, chain_idle.latencies_ms) && ok;
    }
    fsync_ms = FsyncLatencies(dir, idle);
    const std::vector<Stage> stages = {Stage::kSegmenter, Stage::kExtractor, Stage::kAggregator};
    RssPoller poller({chain.server(stages[0]).pid(), chain.server(stages[1]).pid(),
                      chain.server(stages[2]).pid()});
    std::vector<double> cpu_before(3);
    for (size_t i = 0; i < stages.size(); ++i) cpu_before[i] = CpuSeconds(chain.server(stages[i]).pid());
    const double caller_before = CpuSeconds(getpid());
    chain_load = Pipelined(channel, load_requests, load_first, streams);
    caller_cpu_s = CpuSeconds(getpid()) - caller_before;
    for (size_t i = 0; i < stages.size(); ++i) {
      load_cpu_s[i] = CpuSeconds(chain.server(stages[i]).pid()) - cpu_before[i];
    }
    poller.Stop();
    for (size_t i = 0; i < stages.size(); ++i) {
      rss_max_kib[i] = poller.MaxKib(i);
      hwm_kib[i] = StatusKib(chain.server(stages[i]).pid(), "VmHWM");
    }
    ok = Check("chain load", chain_load, reports) && ok;
    if (!ok) {
      for (Stage stage : stages) {
        absl::PrintF("# --- %s log (tail) ---\n%s\n", chaintest::StageName(stage),
                     chaintest::Tail(chain.LogOf(stage), 1500));
      }
    }
    channel.reset();
    for (Stage stage : stages) {
      const absl::Time stop = absl::Now();
      chain.server(stage).Terminate(absl::Seconds(10));
      absl::PrintF("# %s stopped in %.2f s\n", chaintest::StageName(stage),
                   absl::ToDoubleSeconds(absl::Now() - stop));
    }
  }

  // The echo again, after the chain.
  ok = echo_run(&echo_after, &echo_idle_after, &echo_hwm_kib) && ok;
  ok = Check("echo (after)", echo_after, reports) && ok;
  std::filesystem::remove_all(dir);

  const double echo_rate = (echo_before.rate() + echo_after.rate()) / 2;
  std::vector<double> echo_latencies = echo_before.latencies_ms;
  echo_latencies.insert(echo_latencies.end(), echo_after.latencies_ms.begin(),
                        echo_after.latencies_ms.end());
  std::vector<double> echo_idle = echo_idle_before.latencies_ms;
  echo_idle.insert(echo_idle.end(), echo_idle_after.latencies_ms.begin(),
                   echo_idle_after.latencies_ms.end());

  // The figures, one per line, for scripts/bench.
  absl::PrintF("chain_reports=%d\n", reports);
  absl::PrintF("chain_streams=%d\n", streams);
  absl::PrintF("chain_reports_s=%.1f\n", chain_load.rate());
  absl::PrintF("chain_mb_s=%.2f\n", chain_load.rate() * static_cast<double>(sample.size()) / 1e6);
  absl::PrintF("chain_p50_ms=%.3f\n", Percentile(chain_load.latencies_ms, 0.50));
  absl::PrintF("chain_p99_ms=%.3f\n", Percentile(chain_load.latencies_ms, 0.99));
  absl::PrintF("chain_missing_receipts=%d\n", reports - chain_load.committed);
  absl::PrintF("idle_reports=%d\n", idle);
  absl::PrintF("idle_p50_ms=%.3f\n", Percentile(chain_idle.latencies_ms, 0.50));
  absl::PrintF("idle_p99_ms=%.3f\n", Percentile(chain_idle.latencies_ms, 0.99));
  // The idle chain's floor: one durable commit's fdatasync on this disk.
  absl::PrintF("fsync_p50_ms=%.3f\n", Percentile(fsync_ms, 0.50));
  absl::PrintF("fsync_p99_ms=%.3f\n", Percentile(fsync_ms, 0.99));
  absl::PrintF("echo_reports_s=%.1f\n", echo_rate);
  absl::PrintF("echo_reports_s_before=%.1f\n", echo_before.rate());
  absl::PrintF("echo_reports_s_after=%.1f\n", echo_after.rate());
  absl::PrintF("echo_p50_ms=%.3f\n", Percentile(echo_latencies, 0.50));
  absl::PrintF("echo_p99_ms=%.3f\n", Percentile(echo_latencies, 0.99));
  absl::PrintF("echo_idle_p99_ms=%.3f\n", Percentile(echo_idle, 0.99));
  absl::PrintF("chain_vs_echo_ratio=%.4f\n", echo_rate > 0 ? chain_load.rate() / echo_rate : 0);
  const char* const names[] = {"segmenter", "extractor", "aggregator"};
  for (int i = 0; i < 3; ++i) {
    // VmHWM: the peak since the server started, so it covers the load.
    absl::PrintF("%s_rss_mb=%.1f\n", names[i], Mib(hwm_kib[i]));
    absl::PrintF("%s_rss_polled_max_mb=%.1f\n", names[i], Mib(rss_max_kib[i]));
  }
  absl::PrintF("echo_rss_mb=%.1f\n", Mib(echo_hwm_kib));
  // Where the chain's CPU goes: microseconds of CPU per report, per process
  // (the caller's includes building nothing: the messages are made before).
  for (int i = 0; i < 3; ++i) {
    absl::PrintF("%s_cpu_us_per_report=%.0f\n", names[i], load_cpu_s[i] * 1e6 / reports);
  }
  absl::PrintF("caller_cpu_us_per_report=%.0f\n", caller_cpu_s * 1e6 / reports);
  absl::PrintF("chain_bench_ok=%d\n", ok ? 1 : 0);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace reportpipe::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "chain_bench [--reports=N] [--streams=K] [--idle_reports=N]: the three servers on "
      "loopback under load, beside a bare gRPC echo of the same messages");
  absl::ParseCommandLine(argc, argv);
  return reportpipe::bench::Run();
}
