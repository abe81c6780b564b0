#include "lib/server/server_flags.h"

#include <algorithm>
#include <cstdint>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, listen, "",
          "Address to listen on, host:port (port 0: any free port). Empty: "
          "0.0.0.0 and the service's own port (segmenter 50051, extractor "
          "50052, aggregator 50053).");
ABSL_FLAG(int64_t, max_message_bytes, 64 << 20,
          "Largest gRPC message received or sent.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain; with --tls_key turns TLS on.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; when set, clients must present a certificate it "
          "signed (mutual TLS).");
ABSL_FLAG(int64_t, grace_seconds, 10,
          "On SIGTERM or SIGINT, how long calls in flight may finish before "
          "they are cancelled.");
ABSL_FLAG(std::string, port_file, "",
          "When set, the bound port is written to this file once the server "
          "accepts calls.");

ABSL_FLAG(std::string, downstream_tls_ca, "",
          "PEM CA bundle that signed the next stage's certificate; when set, "
          "the channel to the next stage uses TLS.");
ABSL_FLAG(std::string, downstream_tls_cert, "",
          "PEM client certificate for mutual TLS with the next stage.");
ABSL_FLAG(std::string, downstream_tls_key, "",
          "PEM private key for --downstream_tls_cert.");

namespace reportpipe::server {

absl::StatusOr<ServerOptions> ServerOptionsFromFlags(
    const std::string& service_name, int default_port) {
  ServerOptions options;
  options.service_name = service_name;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  if (options.listen_address.empty()) {
    options.listen_address = absl::StrCat("0.0.0.0:", default_port);
  }
  const int64_t max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  if (max_message_bytes <= 0 || max_message_bytes > INT32_MAX) {
    return absl::InvalidArgumentError(
        "--max_message_bytes must be between 1 and 2147483647");
  }
  options.max_message_bytes = static_cast<int>(max_message_bytes);
  const int64_t grace_seconds = absl::GetFlag(FLAGS_grace_seconds);
  if (grace_seconds < 0) {
    return absl::InvalidArgumentError("--grace_seconds must not be negative");
  }
  options.grace = absl::Seconds(grace_seconds);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  return options;
}

DownstreamOptions DownstreamOptionsFromFlags() {
  DownstreamOptions options;
  options.max_message_bytes = static_cast<int>(
      std::min<int64_t>(absl::GetFlag(FLAGS_max_message_bytes), INT32_MAX));
  options.tls_ca_file = absl::GetFlag(FLAGS_downstream_tls_ca);
  options.tls_cert_file = absl::GetFlag(FLAGS_downstream_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_downstream_tls_key);
  return options;
}

}  // namespace reportpipe::server
