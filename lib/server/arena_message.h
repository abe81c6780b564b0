// One protobuf message at a time on an arena of its own: for a stream that
// reads a request into it (or builds an answer in it), uses it, then goes
// on to the next.
//
//   ArenaMessage<v1::IngestStreamRequest> request;
//   StartRead(request.Renew());   // the previous request is gone now
//   ...
//   request.Release();            // optional: free it before the next read
//
// Why not one reused message: proto3's Clear() deletes a singular message
// field, so parsing into the same IngestStreamRequest again freed and
// reallocated the whole report (some 60 metrics, 500 strings) every time.
// On an arena the submessages and string objects are carved out of a few
// large blocks and freed together. The buffers of long strings still come
// from malloc.
//
// No first block is kept across messages: gRPC parses on whichever thread
// completes the read, and a protobuf 3.21 arena serves each thread from
// blocks of that thread's own, so a block kept for the thread that called
// Renew() would mostly sit unused (and cost 64 KiB for every report in
// flight).
#ifndef REPORTPIPE_LIB_SERVER_ARENA_MESSAGE_H_
#define REPORTPIPE_LIB_SERVER_ARENA_MESSAGE_H_

#include <cstddef>
#include <cstdint>

#include "google/protobuf/arena.h"

namespace reportpipe::server {

template <typename Message>
class ArenaMessage {
 public:
  // The real report's segments, or its metrics with the report's identity,
  // take two blocks (48 KiB); a request with its segments and the answer
  // beside it (OrderedStream), three (112 KiB). A larger report grows by
  // blocks of up to kMaxBlockBytes.
  static constexpr size_t kStartBlockBytes = 16 << 10;
  static constexpr size_t kMaxBlockBytes = 256 << 10;

  ArenaMessage() : arena_(Options()) {}
  ArenaMessage(const ArenaMessage&) = delete;
  ArenaMessage& operator=(const ArenaMessage&) = delete;

  // Destroys the current message and everything allocated for it, and
  // returns a new empty one, valid until the next Renew() or Release().
  Message* Renew() {
    // An arena with options frees its first block on Reset() and takes a
    // new one; an empty arena (new, or released) is left as it is.
    if (message_ != nullptr) arena_.Reset();
    message_ = google::protobuf::Arena::CreateMessage<Message>(&arena_);
    return message_;
  }

  // Destroys the current message and frees the arena's blocks but one
  // start block, in which protobuf keeps the arena's options.
  void Release() {
    arena_.Reset();
    message_ = nullptr;
  }

  // The current message, or nullptr before the first Renew().
  Message* get() const { return message_; }
  // The arena, for messages that live and go with the current one (a
  // stream's answer beside its request).
  google::protobuf::Arena* arena() { return &arena_; }

  // Bytes of blocks the arena holds now, for tests.
  uint64_t SpaceAllocated() const { return arena_.SpaceAllocated(); }

 private:
  static google::protobuf::ArenaOptions Options() {
    google::protobuf::ArenaOptions options;
    options.start_block_size = kStartBlockBytes;
    options.max_block_size = kMaxBlockBytes;
    return options;
  }

  google::protobuf::Arena arena_;
  Message* message_ = nullptr;
};

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_ARENA_MESSAGE_H_
