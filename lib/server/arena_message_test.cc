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
  const google::protobuf::Arena* arena = first->GetArena();
  EXPECT_NE(arena, nullptr);
  first->mutable_extracted_report()->mutable_report()->set_report_id("a");
  v1::IngestStreamRequest* second = slot.Renew();
  EXPECT_FALSE(second->has_extracted_report());
  EXPECT_EQ(second->GetArena(), arena);
  slot.Release();
  EXPECT_EQ(slot.get(), nullptr);
}

// A request far larger than one block parses whole, and the next one parses
// cleanly after it: what the streams do with every read. The big request's
// blocks are freed by Renew() and by Release(), not kept.
TEST(ArenaMessageTest, ParsesLargeRequestsAndFreesTheirBlocks) {
  using Slot = ArenaMessage<v1::IngestStreamRequest>;
  const std::string big =
      RequestWithMetrics(4000, std::string(300, 'x')).SerializeAsString();
  ASSERT_GT(big.size(), 4 * Slot::kMaxBlockBytes);
  const std::string small =
      RequestWithMetrics(3, "共办理案件12件。").SerializeAsString();
  Slot slot;
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(slot.Renew()->ParseFromString(big));
    EXPECT_EQ(slot.get()->extracted_report().metrics_size(), 4000);
    EXPECT_EQ(slot.get()->extracted_report().metrics(3999).sentence().size(),
              300u);
    // The 4000 metrics and their string objects live on the arena.
    EXPECT_GT(slot.SpaceAllocated(), 2 * Slot::kMaxBlockBytes);
    ASSERT_TRUE(slot.Renew()->ParseFromString(small));
    EXPECT_LE(slot.SpaceAllocated(), Slot::kStartBlockBytes);
    EXPECT_EQ(slot.get()->SerializeAsString(), small);
    EXPECT_EQ(slot.get()->extracted_report().metrics(2).sentence(),
              "共办理案件12件。");
  }
  // Protobuf keeps the options of an arena that has them in its first
  // block, so one start block stays; the big request's blocks do not.
  slot.Release();
  EXPECT_LE(slot.SpaceAllocated(), Slot::kStartBlockBytes);
}

}  // namespace
}  // namespace reportpipe::server
