// Registry credentials: the value behind ECS repositoryCredentials.
//
// A container definition's repositoryCredentials.credentialsParameter is a
// reference of the same forms as a secret's valueFrom (secrets/reference.h),
// resolved through the operator's providers (secrets/resolve.h) and used
// only for the pull of that container's image, instead of Docker's config.
// Its value is AWS Secrets Manager's form {"username": "…", "password": "…"}
// or "user:password" (one trailing newline, as a file usually ends, is
// dropped). It is not part of the revision: rotating a password rolls
// nothing. Errors name the reference, never the value.
#pragma once

#include <string_view>

#include "base/status.h"
#include "runtime/runtime.h"

namespace stowage::secrets {

// The credentials `value` holds; `parameter` (the reference) names it in errors.
Result<runtime::PullCredentials> ParseRegistryCredentials(std::string_view parameter,
                                                          std::string_view value);

}  // namespace stowage::secrets
