// reportpipe: the command-line tool. `reportpipe help` lists the commands.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "cli/commands.h"

ABSL_FLAG(std::string, format, "",
          "Output format; each command says which it takes and its default.");

namespace {

constexpr char kUsage[] =
    "reportpipe COMMAND [ARGS] [--flags]\n"
    "\n"
    "commands:\n"
    "  segment FILE...  [--format=tree|jsonl]   split reports into their "
    "sections\n"
    "  extract FILE...  [--format=jsonl|table]  find their metrics\n"
    "  explain FILE                             each metric beside its "
    "sentence and pattern\n"
    "  patterns check [PACK]                    compile a pattern pack and run "
    "its examples\n"
    "  compare --aggregator=ADDR [--region=…] [--indicator=…] [--year=…]\n"
    "          [--format=table|csv|jsonl|html]  year-over-year and claims\n"
    "  submit --to=ADDR DIR|FILE...             stream reports through the chain\n"
    "  run DIR|FILE... [--format=…] [--db=PATH] [--html_out=FILE]\n"
    "                                           the chain on this machine, then\n"
    "                                           the comparison\n";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = positional[1];
  const std::vector<std::string> args(positional.begin() + 2, positional.end());
  const std::string format = absl::GetFlag(FLAGS_format);
  if (command == "segment") {
    return reportpipe::cli::SegmentCommand(args, format.empty() ? "tree" : format);
  }
  if (command == "extract" || command == "explain") {
    return reportpipe::cli::ExtractCommand(
        args, format.empty() ? "jsonl" : format, command == "explain");
  }
  if (command == "patterns") return reportpipe::cli::PatternsCommand(args);
  if (command == "compare") {
    return reportpipe::cli::CompareCommand(format.empty() ? "table" : format);
  }
  if (command == "submit") return reportpipe::cli::SubmitCommand(args);
  if (command == "run") {
    return reportpipe::cli::RunCommand(args, format.empty() ? "table" : format);
  }
  if (command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "reportpipe: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
