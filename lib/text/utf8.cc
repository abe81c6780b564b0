#include "lib/text/utf8.h"

#include <iconv.h>

#include <cerrno>
#include <memory>

#include "absl/strings/str_cat.h"

namespace reportpipe::text {
namespace {

// Length of the sequence a lead byte opens, 0 for a byte that cannot lead.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

absl::Status ValidateUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, the bulk of punctuation and digits.
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    // Fast path for the bulk of a Chinese report: a three-byte sequence
    // whose lead is neither E0 (overlong forms) nor ED (surrogates).
    if (s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED && i + 2 < n &&
        (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    const int len = SequenceLength(s[i]);
    bool ok = len > 0 && i + len <= n;
    for (int k = 1; ok && k < len; ++k) ok = (s[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) {
      // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
      if (s[i] == 0xE0 && s[i + 1] < 0xA0) ok = false;
      if (s[i] == 0xED && s[i + 1] >= 0xA0) ok = false;
    }
    if (ok && len == 4) {
      if (s[i] == 0xF0 && s[i + 1] < 0x90) ok = false;
      if (s[i] == 0xF4 && s[i + 1] >= 0x90) ok = false;
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "text is not valid UTF-8: invalid byte 0x",
          absl::Hex(s[i], absl::kZeroPad2), " at byte offset ", i,
          " (send encoding GB18030 if the report is in GBK or GB18030)"));
    }
    i += len;
  }
  return absl::OkStatus();
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

absl::StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::InternalError("iconv has no GB18030 converter");
  }
  std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out;
  // GB18030 takes 1, 2 or 4 bytes for what UTF-8 takes 1 to 4: twice the
  // input always suffices.
  out.resize(bytes.size() * 2 + 4);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* dst = out.data();
  size_t out_left = out.size();
  if (iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<size_t>(-1)) {
    const size_t offset = bytes.size() - in_left;
    return absl::InvalidArgumentError(absl::StrCat(
        "text is not valid GB18030: ",
        errno == EINVAL ? "truncated sequence" : "invalid sequence",
        " at byte offset ", offset));
  }
  out.resize(out.size() - out_left);
  return out;
}

bool IsBlank(std::string_view bytes) {
  for (char c : bytes) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
        c != '\v') {
      return false;
    }
  }
  return true;
}

}  // namespace reportpipe::text
