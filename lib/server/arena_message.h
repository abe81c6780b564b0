// One protobuf message at a time on an arena of its own: for a stream that
// reads a request into it, uses it, then reads the next.
//
//   ArenaMessage<v1::IngestStreamRequest> request;
//   StartRead(request.Renew());   // the previous request is gone now
//
// Why not one reused message: proto3's Clear() deletes a singular message
// field, so parsing into the same IngestStreamRequest again freed and
// reallocated the whole report (some 75 metrics, 600 strings) every time.
// On an arena the submessages and string objects are carved out of one
// block, and Renew() drops them all at once. The first block is owned here
// and kept across Renew(), so a report that fits in it costs no allocation
// beyond the buffers of long strings.
#ifndef REPORTPIPE_LIB_SERVER_ARENA_MESSAGE_H_
#define REPORTPIPE_LIB_SERVER_ARENA_MESSAGE_H_

#include <cstddef>
#include <memory>

#include "google/protobuf/arena.h"

namespace reportpipe::server {

template <typename Message>
class ArenaMessage {
 public:
  // 64 KiB holds a sample-sized report with its segments or metrics; a
  // larger one grows the arena by blocks of up to 256 KiB, freed on Renew().
  static constexpr size_t kFirstBlockBytes = 64 << 10;

  ArenaMessage()
      : first_block_(new char[kFirstBlockBytes]),
        arena_(Options(first_block_.get())) {}
  ArenaMessage(const ArenaMessage&) = delete;
  ArenaMessage& operator=(const ArenaMessage&) = delete;

  // Destroys the current message and everything allocated for it, and
  // returns a new empty one, valid until the next Renew().
  Message* Renew() {
    arena_.Reset();
    message_ = google::protobuf::Arena::CreateMessage<Message>(&arena_);
    return message_;
  }

  // The current message, or nullptr before the first Renew().
  Message* get() const { return message_; }

 private:
  static google::protobuf::ArenaOptions Options(char* first_block) {
    google::protobuf::ArenaOptions options;
    options.initial_block = first_block;
    options.initial_block_size = kFirstBlockBytes;
    options.start_block_size = 64 << 10;
    options.max_block_size = 256 << 10;
    return options;
  }

  // Declared before arena_, which writes into it, and destroyed after it.
  std::unique_ptr<char[]> first_block_;
  google::protobuf::Arena arena_;
  Message* message_ = nullptr;
};

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_ARENA_MESSAGE_H_
