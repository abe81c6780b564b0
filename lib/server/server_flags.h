// The flags every reportpipe server takes, defined once here:
//   --listen --max_message_bytes --tls_cert --tls_key --tls_client_ca
//   --grace_seconds --port_file, and for a stage of the chain
//   --downstream_tls_ca --downstream_tls_cert --downstream_tls_key
// A server's main() parses the command line, then calls
// ServerOptionsFromFlags("segmenter", 50051).
#ifndef REPORTPIPE_LIB_SERVER_SERVER_FLAGS_H_
#define REPORTPIPE_LIB_SERVER_SERVER_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "lib/server/downstream.h"
#include "lib/server/server_runner.h"

namespace reportpipe::server {

// The options the flags set. An empty --listen means 0.0.0.0:default_port,
// each service having its own port so that all three run side by side.
absl::StatusOr<ServerOptions> ServerOptionsFromFlags(
    const std::string& service_name, int default_port);

// The options of the channel to the next stage of the chain:
// --downstream_tls_ca, --downstream_tls_cert, --downstream_tls_key, and the
// same message limit as the server.
DownstreamOptions DownstreamOptionsFromFlags();

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_SERVER_FLAGS_H_
