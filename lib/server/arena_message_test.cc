#include "lib/server/arena_message.h"

#include <string>

#include "gtest/gtest.h"
#include "reportpipe/v1/aggregator.pb.h"

namespace reportpipe::server {
namespace {

v1::IngestStreamRequest RequestWithMetrics(int count,
                                           const std::string& sentence) {
  v1::IngestStreamRequest request;
  request.mutable_extracted_report()->mutable_report()->set_report_id("合成-1");
  for (int i = 0; i < count; ++i) {
    v1::Metric* metric = request.mutable_extracted_report()->add_metrics();
    metric->set_indicator("行政诉讼案件");
    metric->set_sentence(sentence);
  }
  return request;
}

TEST(ArenaMessageTest, RenewGivesAnEmptyMessageOnTheArena) {
  ArenaMessage<v1::IngestStreamRequest> slot;
  EXPECT_EQ(slot.get(), nullptr);
  v1::IngestStreamRequest* first = slot.Renew();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(slot.get(), first);
  EXPECT_NE(first->GetArena(), nullptr);
  first->mutable_extracted_report()->mutable_report()->set_report_id("a");
  v1::IngestStreamRequest* second = slot.Renew();
  EXPECT_FALSE(second->has_extracted_report());
  EXPECT_EQ(second->GetArena(), first->GetArena());
}

// A request far larger than the first block parses whole, and the next
// one parses cleanly after it: what the streams do with every read.
TEST(ArenaMessageTest, ParsesRequestsLargerThanItsFirstBlockOneAfterAnother) {
  const std::string big =
      RequestWithMetrics(2000, std::string(300, 'x')).SerializeAsString();
  ASSERT_GT(big.size(),
            4 * ArenaMessage<v1::IngestStreamRequest>::kFirstBlockBytes);
  const v1::IngestStreamRequest small_request =
      RequestWithMetrics(3, "共办理案件12件。");
  const std::string small = small_request.SerializeAsString();
  ArenaMessage<v1::IngestStreamRequest> slot;
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(slot.Renew()->ParseFromString(big));
    EXPECT_EQ(slot.get()->extracted_report().metrics_size(), 2000);
    EXPECT_EQ(slot.get()->extracted_report().metrics(1999).sentence().size(),
              300u);
    ASSERT_TRUE(slot.Renew()->ParseFromString(small));
    EXPECT_EQ(slot.get()->SerializeAsString(), small);
    EXPECT_EQ(slot.get()->extracted_report().metrics(2).sentence(),
              "共办理案件12件。");
  }
}

}  // namespace
}  // namespace reportpipe::server
