// absl::Status → grpc::Status. The libraries report errors as absl::Status;
// the services answer with the same code and message, which works because
// the two code enums share their numbers (both follow google.rpc.Code).
#ifndef REPORTPIPE_LIB_SERVER_GRPC_STATUS_H_
#define REPORTPIPE_LIB_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace reportpipe::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_GRPC_STATUS_H_
