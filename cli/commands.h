// The subcommands of the reportpipe tool, one file each.
#ifndef REPORTPIPE_CLI_COMMANDS_H_
#define REPORTPIPE_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reportpipe/v1/aggregator.pb.h"

namespace reportpipe::cli {

// reportpipe segment FILE... [--format=tree|jsonl]
int SegmentCommand(const std::vector<std::string>& args,
                   const std::string& format);

// reportpipe extract FILE... [--format=jsonl|table], and with `explain`
// each metric beside its sentence and the pattern that produced it.
int ExtractCommand(const std::vector<std::string>& args,
                   const std::string& format, bool explain);

// reportpipe patterns check [PACK]
int PatternsCommand(const std::vector<std::string>& args);

// reportpipe compare --aggregator=ADDR [--region] [--indicator] [--year]
int CompareCommand(const std::string& format);

// reportpipe submit --to=ADDR DIR|FILE...
int SubmitCommand(const std::vector<std::string>& args);

// reportpipe run DIR|FILE... [--format=…] [--db=PATH]: the chain on this
// machine, as child processes, then the comparison.
int RunCommand(const std::vector<std::string>& args, const std::string& format);

// Asks the aggregator at `target` for a comparison and formats it (with the
// ratio checks of each report on the html page).
absl::StatusOr<std::string> QueryComparison(const std::string& target,
                                            const v1::CompareRequest& request,
                                            const std::string& format);

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_COMMANDS_H_
