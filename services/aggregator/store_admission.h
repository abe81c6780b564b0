// Which reports the store takes, decided before any transaction begins, so
// that a rejected report never touches the database or its batch.
#ifndef REPORTPIPE_SERVICES_AGGREGATOR_STORE_ADMISSION_H_
#define REPORTPIPE_SERVICES_AGGREGATOR_STORE_ADMISSION_H_

#include "reportpipe/v1/metric.pb.h"
#include "reportpipe/v1/receipt.pb.h"

namespace reportpipe::aggregator {

// A receipt naming the report's id, identity and content version (the hash
// of its text when it carries none). Its outcome is REJECTED with a status
// when the report cannot be stored: no report, no region or year, a
// look-alike, or text that is not UTF-8 (which PostgreSQL would refuse and
// SQLite would take, so both refuse it). Otherwise the outcome is
// UNSPECIFIED, for the commit to decide.
v1::Receipt Admit(const v1::ExtractedReport* report);

}  // namespace reportpipe::aggregator

#endif  // REPORTPIPE_SERVICES_AGGREGATOR_STORE_ADMISSION_H_
