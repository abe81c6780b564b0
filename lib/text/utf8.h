// UTF-8 checks and conversion from GB18030.
//
// Reports arrive as bytes. Everything downstream works on valid UTF-8, so the
// segmenter checks it first and names the first bad byte in its error, which
// lets a caller find the damage in a 50 MB file.
#ifndef REPORTPIPE_LIB_TEXT_UTF8_H_
#define REPORTPIPE_LIB_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace reportpipe::text {

// OK when `bytes` is valid UTF-8 (no overlong forms, no surrogates, nothing
// above U+10FFFF); otherwise INVALID_ARGUMENT naming the offset of the first
// invalid byte.
absl::Status ValidateUtf8(std::string_view bytes);

// Decodes the code point at `pos` of valid UTF-8 and returns its byte length.
// `pos` must be at a code point boundary of text that ValidateUtf8 accepted.
int DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point);

// Appends the UTF-8 form of `code_point`.
void AppendUtf8(char32_t code_point, std::string* out);

// Converts GB18030 (which includes GBK and GB2312) to UTF-8 with glibc's
// iconv. INVALID_ARGUMENT naming the offset when the bytes are not GB18030.
absl::StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes);

// True when every byte is ASCII white space.
bool IsBlank(std::string_view bytes);

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_UTF8_H_
