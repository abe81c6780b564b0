// libFuzzer target: any bytes as an extracted report (binary protobuf), as
// the aggregator's Ingest and IngestStream hand it to Store::Commit. Each
// input gets a fresh SQLite store, so that a crash replays from its input
// alone. The report is stored or refused with a receipt (never a crash);
// sent again it is a DUPLICATE; what is stored reads back and goes through
// every comparison the service offers.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/stubs/logging.h"
#include "lib/config/config_loader.h"
#include "services/aggregator/comparison.h"
#include "services/aggregator/store.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "ingest_fuzzer: %s\n", what);
  std::abort();
}

// A private directory for the store, on tmpfs when there is one: the store
// syncs every commit (synchronous=FULL), which a disk would make the
// slowest part of each input.
const std::string& StorePath() {
  static const std::string* path = [] {
    std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    dir += "/reportpipe-ingest-fuzz-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) Fail("cannot create a directory for the store");
    return new std::string(dir + "/store.db");
  }();
  return *path;
}

void RemoveStore() {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((StorePath() + suffix).c_str());
  }
}

void RemoveStoreDir() {
  RemoveStore();
  const std::string& path = StorePath();
  rmdir(path.substr(0, path.rfind('/')).c_str());
}

// The catalog's better directions, as aggregator_server loads them, so that
// the rankings and claim checks take the paths the service takes.
const reportpipe::aggregator::Directions& ShippedDirections() {
  static const reportpipe::aggregator::Directions* directions = [] {
    auto config = reportpipe::config::LoadExtractorConfig(reportpipe::config::ConfigDir());
    if (!config.ok()) Fail("cannot load config/ (REPORTPIPE_CONFIG_DIR?)");
    return new reportpipe::aggregator::Directions(config->catalog);
  }();
  return *directions;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // Mutated messages make protobuf log every invalid UTF-8 string it parses;
  // the refusal itself is what is tested, the log lines only bury libFuzzer's.
  google::protobuf::SetLogHandler(nullptr);
  ShippedDirections();
  StorePath();
  std::atexit(RemoveStoreDir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  reportpipe::v1::ExtractedReport report;
  if (!report.ParseFromArray(data, static_cast<int>(size))) return 0;

  RemoveStore();
  auto store = reportpipe::aggregator::OpenStore(StorePath());
  if (!store.ok()) Fail("cannot open a fresh SQLite store");

  auto first = (*store)->Commit({&report});
  // A fresh local store does not fail: the report itself must get a receipt.
  if (!first.ok()) Fail("Commit failed instead of answering with a receipt");
  if (first->size() != 1) Fail("not one receipt for one report");
  const reportpipe::v1::ReceiptOutcome outcome = first->front().outcome();
  if (outcome != reportpipe::v1::RECEIPT_OUTCOME_COMMITTED &&
      outcome != reportpipe::v1::RECEIPT_OUTCOME_REJECTED) {
    Fail("a fresh store answered neither COMMITTED nor REJECTED");
  }

  auto again = (*store)->Commit({&report});
  if (!again.ok() || again->size() != 1) Fail("the second Commit failed");
  if (outcome == reportpipe::v1::RECEIPT_OUTCOME_COMMITTED &&
      again->front().outcome() != reportpipe::v1::RECEIPT_OUTCOME_DUPLICATE) {
    Fail("the same version sent again was not a DUPLICATE");
  }

  auto metrics = (*store)->CurrentMetrics({});
  if (!metrics.ok()) Fail("CurrentMetrics failed");
  if (outcome == reportpipe::v1::RECEIPT_OUTCOME_REJECTED && !metrics->empty()) {
    Fail("a rejected report left metrics behind");
  }
  if (!(*store)->ListReports("", true).ok()) Fail("ListReports failed");

  const reportpipe::aggregator::Directions& directions = ShippedDirections();
  reportpipe::aggregator::Compare(*metrics, {}, directions);
  reportpipe::v1::CompareRegionsRequest regions;
  for (const reportpipe::aggregator::StoredMetric& m : *metrics) {
    regions.set_indicator(m.metric.canonical_id().empty() ? m.metric.indicator()
                                                          : m.metric.canonical_id());
    regions.set_year(m.report_year);
    reportpipe::aggregator::CompareRegions(*metrics, regions, directions);
    break;  // one indicator is enough; Compare above covered them all
  }
  reportpipe::aggregator::CheckRatios(*metrics);
  return 0;
}
