// Tells ThreadSanitizer what absl::Mutex and absl::CondVar synchronize.
//
// Debian's absl is not built with -fsanitize=thread, so its Mutex carries no
// TSan annotations: TSan cannot see that Lock() follows the previous
// Unlock(), and reports every field an absl::Mutex guards (ours and gRPC's,
// which locks absl::Mutex too) as a data race. Suppressing those reports
// would blind TSan to exactly the code we want it to check, so instead the
// TSan build (REPORTPIPE_SANITIZE=thread) links this library ahead of
// libabsl_synchronization: it defines the public locking functions, calls
// the real ones (dlsym RTLD_NEXT) and adds the happens-before edges with
// __tsan_acquire/__tsan_release on the mutex's address.
//
// Only happens-before is modelled, not lock ownership: TSan still finds
// unsynchronized accesses, but not lock-order inversions on absl::Mutex.
// A Condition is evaluated by whichever thread holds the mutex at the time
// (absl evaluates waiters' conditions in the unlocking thread too), so each
// Condition is wrapped to acquire before it and release after it.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/base/config.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

extern "C" {
// Weak: a process without the TSan runtime (none should load this, but a
// tool run under a TSan test's environment might) simply skips them.
void __tsan_acquire(void* addr) __attribute__((weak));
void __tsan_release(void* addr) __attribute__((weak));
}

namespace {

void Acquire(const void* mu) {
  if (__tsan_acquire != nullptr) __tsan_acquire(const_cast<void*>(mu));
}
void Release(const void* mu) {
  if (__tsan_release != nullptr) __tsan_release(const_cast<void*>(mu));
}

#define REPORTPIPE_STR2(x) #x
#define REPORTPIPE_STR(x) REPORTPIPE_STR2(x)

// The real function of Itanium-mangled name "_ZN4absl<ns>" + `rest`, where
// <ns> is absl's inline namespace (debian3 on Debian 12).
void* Real(const char* rest) {
  const std::string ns = REPORTPIPE_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string name = "_ZN4absl" + std::to_string(ns.size()) + ns + rest;
  void* fn = dlsym(RTLD_NEXT, name.c_str());
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found in absl: %s\n",
                 name.c_str(), dlerror());
    std::abort();
  }
  return fn;
}

// A Condition that acquires the mutex's happens-before edges before the
// caller's condition reads what the mutex guards.
struct Acquiring {
  const absl::Mutex* mu;
  const absl::Condition* cond;
};
bool EvalAcquiring(const Acquiring* a) {
  Acquire(a->mu);
  const bool met = a->cond->Eval();
  // The condition read under the mutex: the next holder comes after that.
  Release(a->mu);
  return met;
}

}  // namespace

#define REAL(type, rest)                                  \
  static const auto real = reinterpret_cast<type>(Real(rest))

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  REAL(void (*)(Mutex*), "5Mutex4LockEv");
  real(this);
  Acquire(this);
}

void Mutex::Unlock() {
  REAL(void (*)(Mutex*), "5Mutex6UnlockEv");
  Release(this);
  real(this);
}

bool Mutex::TryLock() {
  REAL(bool (*)(Mutex*), "5Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

void Mutex::ReaderLock() {
  REAL(void (*)(Mutex*), "5Mutex10ReaderLockEv");
  real(this);
  Acquire(this);
}

void Mutex::ReaderUnlock() {
  REAL(void (*)(Mutex*), "5Mutex12ReaderUnlockEv");
  Release(this);
  real(this);
}

bool Mutex::ReaderTryLock() {
  REAL(bool (*)(Mutex*), "5Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

// Await and CondVar::Wait give the mutex up while they wait: release before,
// acquire after, and acquire inside the condition (see Acquiring).
void Mutex::Await(const Condition& cond) {
  REAL(void (*)(Mutex*, const Condition&), "5Mutex5AwaitERKNS0_9ConditionE");
  const Acquiring a{this, &cond};
  Release(this);
  real(this, Condition(&EvalAcquiring, &a));
  Acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  REAL(bool (*)(Mutex*, const Condition&, Duration),
       "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const Acquiring a{this, &cond};
  Release(this);
  const bool met = real(this, Condition(&EvalAcquiring, &a), timeout);
  Acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  REAL(bool (*)(Mutex*, const Condition&, Time),
       "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const Acquiring a{this, &cond};
  Release(this);
  const bool met = real(this, Condition(&EvalAcquiring, &a), deadline);
  Acquire(this);
  return met;
}

void Mutex::LockWhen(const Condition& cond) {
  REAL(void (*)(Mutex*, const Condition&), "5Mutex8LockWhenERKNS0_9ConditionE");
  const Acquiring a{this, &cond};
  real(this, Condition(&EvalAcquiring, &a));
  Acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  REAL(bool (*)(Mutex*, const Condition&, Duration),
       "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const Acquiring a{this, &cond};
  const bool met = real(this, Condition(&EvalAcquiring, &a), timeout);
  Acquire(this);
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  REAL(bool (*)(Mutex*, const Condition&, Time),
       "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const Acquiring a{this, &cond};
  const bool met = real(this, Condition(&EvalAcquiring, &a), deadline);
  Acquire(this);
  return met;
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  REAL(void (*)(Mutex*, const Condition&),
       "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  const Acquiring a{this, &cond};
  real(this, Condition(&EvalAcquiring, &a));
  Acquire(this);
}

void CondVar::Wait(Mutex* mu) {
  REAL(void (*)(CondVar*, Mutex*), "7CondVar4WaitEPNS0_5MutexE");
  Release(mu);
  real(this, mu);
  Acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  REAL(bool (*)(CondVar*, Mutex*, Duration),
       "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Release(mu);
  const bool timed_out = real(this, mu, timeout);
  Acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  REAL(bool (*)(CondVar*, Mutex*, Time),
       "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  Release(mu);
  const bool timed_out = real(this, mu, deadline);
  Acquire(mu);
  return timed_out;
}

ABSL_NAMESPACE_END
}  // namespace absl
