// The content version of a report: SHA-256 of its UTF-8 text, in hex.
// OpenSSL's libcrypto computes it; gRPC already links it.
#ifndef REPORTPIPE_LIB_TEXT_CONTENT_HASH_H_
#define REPORTPIPE_LIB_TEXT_CONTENT_HASH_H_

#include <string>
#include <string_view>

namespace reportpipe::text {

// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string ContentHash(std::string_view bytes);

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_CONTENT_HASH_H_
