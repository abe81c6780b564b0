// The subcommands of the reportpipe tool, one file each.
#ifndef REPORTPIPE_CLI_COMMANDS_H_
#define REPORTPIPE_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace reportpipe::cli {

// reportpipe segment FILE... [--format=tree|jsonl]
int SegmentCommand(const std::vector<std::string>& args,
                   const std::string& format);

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_COMMANDS_H_
