#include "lib/server/grpc_status.h"

#include <string>

namespace reportpipe::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = static_cast<int>(status.code());
  // A code from a newer absl that gRPC does not know would confuse clients.
  if (code < grpc::StatusCode::CANCELLED ||
      code > grpc::StatusCode::UNAUTHENTICATED) {
    return grpc::Status(grpc::StatusCode::UNKNOWN,
                        std::string(status.message()));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code),
                      std::string(status.message()));
}

}  // namespace reportpipe::server
