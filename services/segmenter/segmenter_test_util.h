// Helpers shared by the segmenter's tests: fixtures, running the segmenter,
// and the checks every segment tree must pass whatever the report.
#ifndef REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_TEST_UTIL_H_
#define REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "reportpipe/v1/report.pb.h"
#include "services/segmenter/segmenter.h"

namespace reportpipe::segmenter::testing {

// The bytes of a file, or "" with a test failure when it cannot be read.
inline std::string ReadFileOrFail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A file under tests/fixtures/segmenter/ (all of them SYNTHETIC).
inline std::string ReadFixture(const std::string& name) {
  return ReadFileOrFail(
      absl::StrCat(REPORTPIPE_SOURCE_DIR, "/tests/fixtures/segmenter/", name));
}

// The one real report in the shared corpus.
inline std::string ReadPingluo() {
  return ReadFileOrFail(absl::StrCat(REPORTPIPE_SOURCE_DIR,
                                     "/../shared/corpus/pingluo-2023.txt"));
}

inline absl::StatusOr<v1::SegmentedReport> Segment(
    std::string text, v1::Encoding encoding = v1::ENCODING_UNSPECIFIED) {
  v1::Report report;
  report.set_id("test");
  report.set_text(std::move(text));
  report.set_encoding(encoding);
  return SegmentReport(report, SegmenterOptions{});
}

// The bytes of SegmentedReport.text a span covers.
inline std::string_view Bytes(const v1::SegmentedReport& r,
                              const v1::Span& span) {
  return std::string_view(r.text()).substr(span.start(),
                                           span.end() - span.start());
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline bool Within(const v1::Span& inner, const v1::Span& outer) {
  return outer.start() <= inner.start() && inner.end() <= outer.end();
}

inline bool Overlap(const v1::Span& a, const v1::Span& b) {
  return a.start() < b.end() && b.start() < a.end();
}

inline bool IsBody(const v1::Segment& s) {
  return s.kind() == v1::SEGMENT_KIND_PARAGRAPH ||
         s.kind() == v1::SEGMENT_KIND_SENTENCE;
}

// The headings of a report, one string per SECTION or POINT:
// "<level> <path> <heading>".
inline std::vector<std::string> Outline(const v1::SegmentedReport& r) {
  std::vector<std::string> out;
  for (const v1::Segment& s : r.segments()) {
    if (s.kind() != v1::SEGMENT_KIND_SECTION &&
        s.kind() != v1::SEGMENT_KIND_POINT) {
      continue;
    }
    out.push_back(absl::StrCat(s.level(), " ", s.path(), " ", s.heading()));
  }
  return out;
}

// The texts of the SENTENCE segments, in order.
inline std::vector<std::string> Sentences(const v1::SegmentedReport& r) {
  std::vector<std::string> out;
  for (const v1::Segment& s : r.segments()) {
    if (s.kind() == v1::SEGMENT_KIND_SENTENCE) {
      out.emplace_back(Bytes(r, s.span()));
    }
  }
  return out;
}

// What holds for every segment tree: parents come first and contain their
// children, spans are in bounds and in document order, headings start with
// their marker, body segments keep out of residue (or, across a page
// break, hold it whole inside) and carry their section's path.
inline void ExpectWellFormed(const v1::SegmentedReport& r) {
  const auto& segs = r.segments();
  std::vector<const v1::Segment*> residue;
  for (const v1::Segment& s : segs) {
    if (s.kind() == v1::SEGMENT_KIND_RESIDUE) residue.push_back(&s);
  }
  for (int i = 0; i < segs.size(); ++i) {
    const v1::Segment& s = segs[i];
    SCOPED_TRACE(absl::StrCat("segment ", i, " path ", s.path()));
    EXPECT_NE(s.kind(), v1::SEGMENT_KIND_UNSPECIFIED);
    EXPECT_LT(s.span().start(), s.span().end());
    EXPECT_LE(s.span().end(), r.text().size());
    if (i > 0) {
      EXPECT_LE(segs[i - 1].span().start(), s.span().start());
    }
    EXPECT_LT(s.parent(), i);
    EXPECT_GE(s.parent(), -1);
    if (s.parent() >= 0) {
      const v1::Segment& p = segs[s.parent()];
      EXPECT_TRUE(Within(s.span(), p.span()));
      if (IsBody(s)) {
        EXPECT_EQ(s.path(), p.path());
      } else {
        EXPECT_TRUE(StartsWith(s.path(), p.path() + "/")) << p.path();
        EXPECT_GT(s.level(), p.level());
      }
      if (s.kind() == v1::SEGMENT_KIND_SENTENCE) {
        EXPECT_EQ(p.kind(), v1::SEGMENT_KIND_PARAGRAPH);
      }
      if (p.plan()) {
        EXPECT_TRUE(s.plan());
      }
    }
    if (s.kind() == v1::SEGMENT_KIND_SECTION ||
        s.kind() == v1::SEGMENT_KIND_POINT) {
      EXPECT_FALSE(s.marker().empty());
      EXPECT_TRUE(Within(s.heading_span(), s.span()));
      EXPECT_EQ(s.heading_span().start(), s.span().start());
      EXPECT_EQ(Bytes(r, s.heading_span()), s.marker() + s.heading());
    }
    if (IsBody(s)) {
      // A paragraph broken by a PDF's page break holds the page's residue
      // whole; no body segment holds part of it.
      for (const v1::Segment* res : residue) {
        EXPECT_TRUE(!Overlap(s.span(), res->span()) ||
                    (Within(res->span(), s.span()) &&
                     res->span().start() > s.span().start() &&
                     res->span().end() < s.span().end()))
            << Bytes(r, s.span()) << " overlaps residue "
            << Bytes(r, res->span());
      }
    }
  }
}

}  // namespace reportpipe::segmenter::testing

#endif  // REPORTPIPE_SERVICES_SEGMENTER_SEGMENTER_TEST_UTIL_H_
