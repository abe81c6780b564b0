// A bounded load run through the chain, on loopback only (scripts/load; not
// part of scripts/test):
//
//   load_test [--seconds=60] [--clients=16]
//
// Starts the three servers, then `clients` threads each stream batches of
// SYNTHETIC reports (the 平罗县 report renamed, each region its own) through
// Segmenter.SubmitReports for `seconds`. Every report must come back
// COMMITTED and every stream end OK: one error fails the run. Each server's
// RSS (VmRSS in /proc/PID/status) is sampled four times a second, and must
// be flat: the largest sample of the last ten seconds at most
//   1.2 × the largest of the first ten seconds + 32 MiB.
// The first ten seconds hold the warm-up (allocator arenas, gRPC buffers,
// SQLite's page cache filling); after that, memory should depend on the
// windows, not on the reports sent. A leak of even 1 KB a report, at the
// hundreds of reports a second seen here, grows by tens of MiB over the
// run and fails it; the slack absorbs the allocator's noise on small heaps.
// Exit status 0 when both hold; a summary on stdout either way.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "lib/process/server_process.h"
#include "reportpipe/v1/segmenter.grpc.pb.h"
#include "tests/chain_harness.h"

namespace reportpipe::chaintest {
namespace {

constexpr int kBatch = 100;  // reports per stream
constexpr double kGrowth = 1.2;
constexpr int64_t kSlackKib = 32 * 1024;

// VmRSS of `pid` in KiB; 0 when it cannot be read.
int64_t RssKib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, "VmRSS:")) {
      int64_t kib = 0;
      std::string number = line.substr(6);
      number.erase(std::remove_if(number.begin(), number.end(),
                                  [](char c) { return c < '0' || c > '9'; }),
                   number.end());
      return absl::SimpleAtoi(number, &kib) ? kib : 0;
    }
  }
  return 0;
}

int Run(int seconds, int clients) {
  const std::string pingluo =
      process::ReadFile(std::string(REPORTPIPE_SOURCE_DIR) + "/../shared/corpus/pingluo-2023.txt");
  if (pingluo.empty()) {
    std::cerr << "load_test: shared corpus missing\n";
    return 2;
  }
  char dir_template[] = "/tmp/reportpipe-load.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return 2;
  const std::string dir = dir_template;
  Chain chain(dir);
  if (absl::Status started = chain.Start(dir + "/store.db"); !started.ok()) {
    std::cerr << "load_test: " << started << "\n";
    return 2;
  }
  const Stage kStages[] = {Stage::kSegmenter, Stage::kExtractor, Stage::kAggregator};

  std::atomic<int64_t> committed{0}, errors{0}, streams{0};
  std::mutex first_error_mu;
  std::string first_error;
  auto error = [&](const std::string& what) {
    ++errors;
    std::lock_guard<std::mutex> lock(first_error_mu);
    if (first_error.empty()) first_error = what;
  };

  // RSS samples: (seconds since start, KiB) for each stage.
  struct Sample {
    double at;
    int64_t kib[3];
  };
  std::vector<Sample> samples;
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(seconds);
  std::thread sampler([&] {
    // Bounded: one sample each 250 ms until the end of the run.
    for (int i = 0; i <= seconds * 4 && absl::Now() < end; ++i) {
      Sample s;
      s.at = absl::ToDoubleSeconds(absl::Now() - start);
      for (int k = 0; k < 3; ++k) s.kib[k] = RssKib(chain.server(kStages[k]).pid());
      samples.push_back(s);
      const absl::Duration left = start + absl::Milliseconds(250) * (i + 1) - absl::Now();
      if (left > absl::ZeroDuration()) absl::SleepFor(left);
    }
  });

  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto channel = chain.channel(Stage::kSegmenter);
      // Bounded by time; each stream by its deadline.
      for (int round = 0; absl::Now() < end; ++round) {
        const int first = (c + 1) * 1000000 + round * kBatch;
        const StreamResult result = SubmitStream(
            channel, kBatch,
            [&](int i) {
              v1::Report report;
              report.set_id(absl::StrCat("load-", first + i));
              report.set_text(SyntheticText(pingluo, first + i));
              return report;
            },
            absl::Seconds(60));
        ++streams;
        if (!result.status.ok()) {
          error(absl::StrCat("stream: ", result.status.error_code(), " ",
                             result.status.error_message()));
        }
        if (result.receipts.size() != kBatch) {
          error(absl::StrCat("stream got ", result.receipts.size(), " receipts for ", kBatch));
        }
        for (const v1::Receipt& r : result.receipts) {
          if (r.outcome() == v1::RECEIPT_OUTCOME_COMMITTED) {
            ++committed;
          } else {
            error(absl::StrCat(r.report_id(), ": ", r.status_message()));
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  sampler.join();

  bool flat = true;
  std::cout << "load: " << clients << " clients, " << elapsed << " s, " << streams << " streams, "
            << committed << " reports committed (" << static_cast<int64_t>(committed / elapsed)
            << " reports/s), " << errors << " errors\n";
  if (!first_error.empty()) std::cout << "  first error: " << first_error << "\n";
  for (int k = 0; k < 3; ++k) {
    int64_t first_max = 0, last_max = 0, peak = 0;
    for (const Sample& s : samples) {
      if (s.at < 10) first_max = std::max(first_max, s.kib[k]);
      if (s.at >= seconds - 10) last_max = std::max(last_max, s.kib[k]);
      peak = std::max(peak, s.kib[k]);
    }
    const int64_t allowed = static_cast<int64_t>(kGrowth * first_max) + kSlackKib;
    const bool ok = first_max > 0 && last_max > 0 && last_max <= allowed;
    flat = flat && ok;
    std::cout << "  " << StageName(kStages[k]) << " RSS: first 10 s max " << first_max / 1024
              << " MiB, last 10 s max " << last_max / 1024 << " MiB, peak " << peak / 1024
              << " MiB, allowed " << allowed / 1024 << " MiB: " << (ok ? "flat" : "GREW") << "\n";
  }
  const absl::Status up = chain.AllServing(absl::Seconds(5));
  if (!up.ok()) std::cout << "  after the run: " << up << "\n";
  const bool passed = errors == 0 && committed > 0 && flat && up.ok();
  std::cout << (passed ? "PASS" : "FAIL") << "\n";
  if (passed) std::filesystem::remove_all(dir);
  else std::cout << "  logs in " << dir << "\n";
  return passed ? 0 : 1;
}

}  // namespace
}  // namespace reportpipe::chaintest

int main(int argc, char** argv) {
  int seconds = 60;
  int clients = 16;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    bool ok = false;
    if (absl::StartsWith(arg, "--seconds=")) ok = absl::SimpleAtoi(arg.substr(10), &seconds);
    if (absl::StartsWith(arg, "--clients=")) ok = absl::SimpleAtoi(arg.substr(10), &clients);
    if (!ok || seconds < 20 || clients < 1 || clients > 256) {
      std::cerr << "usage: load_test [--seconds=N (>= 20)] [--clients=1..256]\n";
      return 2;
    }
  }
  return reportpipe::chaintest::Run(seconds, clients);
}
