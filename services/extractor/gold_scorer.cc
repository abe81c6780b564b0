#include "services/extractor/gold_scorer.h"

#include <cmath>
#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace reportpipe::extractor {
namespace {

std::string Unit(const std::string& u) {
  if (u == "百分点" || u == "个百分点") return "pp";
  if (u == "％") return "%";
  return u;
}

}  // namespace

absl::StatusOr<std::vector<GoldRow>> LoadGold(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<GoldRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    google::protobuf::Struct row;
    if (!google::protobuf::util::JsonStringToMessage(line, &row).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": not a JSON object"));
    }
    const auto& f = row.fields();
    auto str = [&](const char* k) {
      auto it = f.find(k);
      return it == f.end() ? std::string() : it->second.string_value();
    };
    auto num = [&](const char* k) {
      auto it = f.find(k);
      return it == f.end() ? 0.0 : it->second.number_value();
    };
    GoldRow g;
    g.id = str("id");
    g.anchor = str("anchor");
    g.start = static_cast<size_t>(num("start"));
    g.end = static_cast<size_t>(num("end"));
    g.key = str("key");
    g.value = num("value");
    g.unit = Unit(str("unit"));
    auto opt = f.find("optional");
    g.optional = opt != f.end() && opt->second.bool_value();
    rows.push_back(std::move(g));
  }
  return rows;
}

GoldScore ScoreAgainstGold(
    const std::vector<GoldRow>& gold,
    const google::protobuf::RepeatedPtrField<v1::Metric>& metrics) {
  GoldScore s;
  std::set<std::string> used;
  std::set<std::string> labelled;
  for (const v1::Metric& m : metrics) {
    const GoldRow* hit = nullptr;
    for (const GoldRow& g : gold) {
      if (used.count(g.id) || std::fabs(m.value() - g.value) > 1e-6 ||
          Unit(m.unit()) != g.unit) {
        continue;
      }
      if (m.span().start() < g.end && m.span().end() > g.start) {
        hit = &g;
        break;
      }
    }
    if (hit == nullptr) {
      ++s.false_positives;
      s.problems.push_back(absl::StrCat("FP ", m.indicator(), " ", m.value(),
                                        m.unit(), " in: ", m.sentence()));
      continue;
    }
    used.insert(hit->id);
    if (m.indicator().find(hit->key) != std::string::npos)
      labelled.insert(hit->id);
  }
  for (const GoldRow& g : gold) {
    if (g.optional) continue;
    ++s.required;
    if (!used.count(g.id)) {
      s.problems.push_back(
          absl::StrCat("MISS ", g.anchor, " ", g.value, g.unit));
      continue;
    }
    ++s.found;
    if (labelled.count(g.id)) {
      ++s.label_ok;
    } else {
      s.problems.push_back(absl::StrCat("LABEL ", g.anchor, " wants ", g.key));
    }
  }
  // A found optional row is neither a hit nor a false positive.
  s.precision =
      s.found + s.false_positives == 0
          ? 0
          : static_cast<double>(s.found) / (s.found + s.false_positives);
  s.recall = s.required == 0 ? 0 : static_cast<double>(s.found) / s.required;
  s.label_accuracy =
      s.found == 0 ? 0 : static_cast<double>(s.label_ok) / s.found;
  return s;
}

}  // namespace reportpipe::extractor
