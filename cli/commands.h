// The subcommands of the reportpipe tool, one file each.
#ifndef REPORTPIPE_CLI_COMMANDS_H_
#define REPORTPIPE_CLI_COMMANDS_H_

#include <string>
#include <vector>

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

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_COMMANDS_H_
