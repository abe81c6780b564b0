// reportpipe submit --to=ADDR DIR|FILE...
// reportpipe run DIR|FILE... [--format=table|csv|jsonl|html] [--db=PATH]
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/commands.h"
#include "cli/compare_format.h"
#include "cli/files.h"
#include "cli/submit.h"
#include "lib/process/server_process.h"

ABSL_DECLARE_FLAG(std::string, encoding);
ABSL_DECLARE_FLAG(std::string, config_dir);
ABSL_FLAG(std::string, to, "", "The segmenter to submit to (host:port or a gRPC target).");
ABSL_FLAG(int32_t, max_attempts, 10,
          "Streams in a row that get no receipt before giving up on the reports "
          "without one.");
ABSL_FLAG(std::string, html_out, "",
          "reportpipe run: also write the comparison as an HTML page to this file.");
ABSL_FLAG(std::string, db, "",
          "reportpipe run: the SQLite file to keep (default: a temporary file, deleted).");

namespace reportpipe::cli {
namespace {

// Draws a progress bar on stderr when it is a terminal.
class ProgressBar {
 public:
  ProgressBar() : enabled_(isatty(STDERR_FILENO) != 0) {}
  ~ProgressBar() {
    if (drawn_) std::cerr << "\n";
  }
  void Update(size_t done, size_t total) {
    if (!enabled_ || total == 0) return;
    const absl::Time now = absl::Now();
    if (done < total && now - last_ < absl::Milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(kWidth * done / total);
    std::cerr << "\r[" << std::string(filled, '=') << std::string(kWidth - filled, ' ') << "] "
              << done << "/" << total << std::flush;
  }

 private:
  const bool enabled_;
  bool drawn_ = false;
  absl::Time last_ = absl::InfinitePast();
};

SubmitOptions OptionsFromFlags(ProgressBar* bar) {
  SubmitOptions options;
  options.encoding = absl::GetFlag(FLAGS_encoding);
  options.max_attempts = std::max(1, absl::GetFlag(FLAGS_max_attempts));
  options.progress = [bar](size_t done, size_t total) { bar->Update(done, total); };
  return options;
}

// The directory of this binary: the servers are built beside it.
std::string BinaryDir() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return ".";
  path[n] = '\0';
  return std::filesystem::path(path).parent_path().string();
}

}  // namespace

int SubmitCommand(const std::vector<std::string>& args) {
  const std::string target = absl::GetFlag(FLAGS_to);
  if (target.empty() || args.empty()) {
    std::cerr << "usage: reportpipe submit --to=ADDR DIR|FILE...\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> paths = ExpandReportPaths(args);
  if (!paths.ok()) {
    std::cerr << "reportpipe submit: " << paths.status().message() << "\n";
    return 2;
  }
  SubmitResult result;
  {
    ProgressBar bar;
    result = SubmitReports(target, *paths, OptionsFromFlags(&bar));
  }
  std::cerr << SubmitSummary(result, paths->size());
  return result.AllStored() ? 0 : 1;
}

int RunCommand(const std::vector<std::string>& args, const std::string& format) {
  if (args.empty() || !IsCompareFormat(format)) {
    std::cerr << "usage: reportpipe run DIR|FILE... [--format=table|csv|jsonl|html] [--db=PATH]\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> paths = ExpandReportPaths(args);
  if (!paths.ok()) {
    std::cerr << "reportpipe run: " << paths.status().message() << "\n";
    return 2;
  }
  // A working directory for the store (unless --db) and the servers' logs.
  char dir_template[] = "/tmp/reportpipe-run.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    std::cerr << "reportpipe run: cannot make a temporary directory\n";
    return 1;
  }
  const std::string dir = dir_template;
  std::string db = absl::GetFlag(FLAGS_db);
  if (db.empty()) db = dir + "/store.db";
  const std::string bin = BinaryDir();
  std::vector<std::string> config;
  if (!absl::GetFlag(FLAGS_config_dir).empty()) {
    config.push_back(absl::StrCat("--config_dir=", absl::GetFlag(FLAGS_config_dir)));
  }
  // Start the chain from its end, each stage pointed at the next.
  process::ServerProcess aggregator, extractor, segmenter;
  auto start = [&](process::ServerProcess* server, const std::string& name,
                   std::vector<std::string> flags) {
    flags.insert(flags.end(), config.begin(), config.end());
    flags.push_back("--grace_seconds=5");
    const absl::Status started =
        server->StartLogged(absl::StrCat(bin, "/", name), flags, absl::StrCat(dir, "/", name, ".log"));
    if (!started.ok()) {
      std::cerr << "reportpipe run: " << started.message() << " (log: " << dir << "/" << name
                << ".log)\n";
    }
    return started.ok();
  };
  int code = 1;
  if (start(&aggregator, "aggregator_server", {absl::StrCat("--store=", db)}) &&
      start(&extractor, "extractor_server", {absl::StrCat("--aggregator=", aggregator.address())}) &&
      start(&segmenter, "segmenter_server", {"--extractor=" + extractor.address()})) {
    config.clear();  // the segmenter takes no --config_dir
    SubmitResult result;
    {
      ProgressBar bar;
      result = SubmitReports(segmenter.address(), *paths, OptionsFromFlags(&bar));
    }
    std::cerr << SubmitSummary(result, paths->size());
    absl::StatusOr<std::string> table = QueryComparison(aggregator.address(), {}, format);
    absl::StatusOr<std::string> page = std::string();
    const std::string html_out = absl::GetFlag(FLAGS_html_out);
    if (!html_out.empty()) page = QueryComparison(aggregator.address(), {}, "html");
    if (table.ok() && page.ok()) {
      std::cout << *table;
      code = result.AllStored() ? 0 : 1;
      if (!html_out.empty() && !(std::ofstream(html_out) << *page)) {
        std::cerr << "reportpipe run: cannot write " << html_out << "\n";
        code = 1;
      }
    } else {
      std::cerr << "reportpipe run: "
                << (table.ok() ? page.status() : table.status()).message() << "\n";
    }
  }
  // Every report is answered by now, so nothing is in flight: stop all three
  // at once (each drains on its own), and kill what outlives its grace.
  for (process::ServerProcess* server : {&segmenter, &extractor, &aggregator}) {
    if (server->pid() > 0) kill(server->pid(), SIGTERM);
  }
  for (process::ServerProcess* server : {&segmenter, &extractor, &aggregator}) {
    if (server->pid() > 0 && !server->Terminate(absl::Seconds(10))) server->Kill();
  }
  if (absl::GetFlag(FLAGS_db).empty()) std::filesystem::remove_all(dir);
  return code;
}

}  // namespace reportpipe::cli
