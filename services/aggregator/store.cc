// OpenStore: picks the backend from the URL, migrates, hands out a SqlStore.
#include "services/aggregator/store.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/aggregator/database.h"
#include "services/aggregator/store_migrations.h"
#include "services/aggregator/store_sql.h"

namespace reportpipe::aggregator {

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  absl::StatusOr<std::unique_ptr<Database>> database = OpenDatabase(url);
  if (!database.ok()) return database.status();
  if (absl::Status status = Migrate(**database); !status.ok()) {
    return absl::Status(
        status.code(),
        absl::StrCat("cannot migrate the ", (*database)->backend(),
                     " store: ", status.message()));
  }
  return std::make_unique<SqlStore>(*std::move(database));
}

}  // namespace reportpipe::aggregator
