#include "services/segmenter/report_text.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/text/normalized_text.h"
#include "lib/text/utf8.h"

namespace reportpipe::segmenter {
namespace {

// Blank once folded: ideographic and no-break spaces count as white space
// too. Stops at the first other character (a report's first line), where
// folding the whole text first cost as much as the segmenter's own fold.
bool IsBlankAfterFolding(std::string_view utf8) {
  for (size_t pos = 0; pos < utf8.size();) {
    char32_t c = 0;
    pos += text::DecodeUtf8(utf8, pos, &c);
    const char32_t folded = text::FoldCodePoint(c);
    if (folded >= 0x80 || !absl::ascii_isspace(static_cast<char>(folded))) {
      return false;
    }
  }
  return true;
}

bool IsControlCharacter(unsigned char c) {
  return (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ||
         c == 0x7F;
}

// Whether any of the eight bytes of `w` is below 0x20 or is 0x7F: two
// carry tests on the whole word (a byte below n borrows in w - n·0x0101…).
// It also holds for \n, \t and their kin, so a word with one is read byte by
// byte.
bool MayHoldControlCharacter(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHighs;
  const uint64_t del = w ^ (0x7F * kOnes);
  const uint64_t is_del = (del - kOnes) & ~del & kHighs;
  return (below_space | is_del) != 0;
}

// The first control character other than line and tab white space, which a
// published text never holds (a NUL is the mark of binary data). Read eight
// bytes at a time: this runs over every byte of every report.
absl::Status RejectControlCharacters(std::string_view utf8) {
  for (size_t i = 0; i < utf8.size(); ++i) {
    if (i % 8 == 0 && i + 8 <= utf8.size()) {
      uint64_t w;
      std::memcpy(&w, utf8.data() + i, sizeof(w));
      if (!MayHoldControlCharacter(w)) {
        i += 7;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (IsControlCharacter(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "text holds control character 0x", absl::Hex(c, absl::kZeroPad2),
          " at byte offset ", i,
          ": this looks like binary data, not the text of a report"));
    }
  }
  return absl::OkStatus();
}

// HTML or JSON sent where the text of the page was expected.
absl::Status RejectMarkup(std::string_view utf8) {
  std::string_view head = utf8;
  while (!head.empty() && std::isspace(static_cast<unsigned char>(head[0]))) {
    head.remove_prefix(1);
  }
  if ((head.substr(0, sizeof("\xEF\xBB\xBF") - 1) == "\xEF\xBB\xBF")) head.remove_prefix(3);
  std::string lower(head.substr(0, std::min<size_t>(head.size(), 512)));
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  // A scraped page often starts inside the body (<p>…</p>, <span>), so any
  // text that opens with a tag and closes one early on is markup too.
  const bool opens_with_tag =
      lower.size() >= 2 && lower[0] == '<' &&
      (absl::ascii_isalpha(static_cast<unsigned char>(lower[1])) ||
       lower[1] == '!' || lower[1] == '/');
  if ((lower.substr(0, sizeof("<!doctype html") - 1) == "<!doctype html") ||
      (lower.substr(0, sizeof("<html") - 1) == "<html") ||
      (opens_with_tag &&
       ((lower.find("<body") != std::string_view::npos) || (lower.find("<div") != std::string_view::npos) ||
        (lower.find("<head") != std::string_view::npos) ||
        (lower.find("</") != std::string_view::npos) ||
        (lower.find("<br") != std::string_view::npos)))) {
    return absl::InvalidArgumentError(
        "text is an HTML page: send the report's text, not its markup");
  }
  std::string_view tail = head;
  while (!tail.empty() && std::isspace(static_cast<unsigned char>(tail.back()))) {
    tail.remove_suffix(1);
  }
  if (((tail.substr(0, sizeof("{") - 1) == "{") && (tail.size() >= sizeof("}") - 1 && tail.substr(tail.size() - (sizeof("}") - 1)) == "}")) ||
      ((tail.substr(0, sizeof("[") - 1) == "[") && (tail.size() >= sizeof("]") - 1 && tail.substr(tail.size() - (sizeof("]") - 1)) == "]"))) {
    return absl::InvalidArgumentError(
        "text is a JSON document: send the report's text, not a JSON "
        "wrapper");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> DecodeReportText(const v1::Report& report,
                                             size_t max_bytes) {
  const std::string& bytes = report.text();
  if (bytes.size() > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("report is ", bytes.size(), " bytes, over the limit of ",
                     max_bytes, " bytes"));
  }
  if (bytes.empty()) {
    return absl::InvalidArgumentError("report text is empty");
  }
  // A NUL byte first: neither UTF-8 nor GB18030 uses 0x00 inside a
  // multi-byte character, so it is a NUL in either encoding, and the mark of
  // binary data. Checked before the encoding, or random bytes would be
  // answered "invalid UTF-8, send encoding GB18030", which misleads.
  if (const size_t nul = bytes.find('\0'); nul != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "text holds a NUL byte (0x00) at byte offset ", nul,
        ": this looks like binary data, not the text of a report"));
  }
  std::string utf8;
  if (report.encoding() == v1::ENCODING_GB18030) {
    absl::StatusOr<std::string> converted = text::Gb18030ToUtf8(bytes);
    if (!converted.ok()) return converted.status();
    utf8 = *std::move(converted);
  } else {
    absl::Status valid = text::ValidateUtf8(bytes);
    if (!valid.ok()) return valid;
    utf8 = bytes;
  }
  absl::Status status = RejectControlCharacters(utf8);
  if (!status.ok()) return status;
  if (IsBlankAfterFolding(utf8)) {
    return absl::InvalidArgumentError(
        "report text holds only white space");
  }
  status = RejectMarkup(utf8);
  if (!status.ok()) return status;
  return utf8;
}

}  // namespace reportpipe::segmenter
