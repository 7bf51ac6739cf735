// Image references: Docker's grammar (github.com/distribution/reference).
//
//   reference := name [":" tag] ["@" digest]
//   name      := [domain "/"] path-component ["/" path-component]*
//   domain    := host [":" port]   (a first component with '.' or ':', or "localhost")
//   path-component := [a-z0-9]+ ([._]|__|-+) [a-z0-9]+ ...
//   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//   digest    := algorithm ":" hex (at least 32 hex digits)
// The name is at most 255 characters. An invalid reference is an error at
// validation time, so a placeholder (`<IMAGE1_NAME>`, `${AWS_ACCOUNT_ID}.dkr...`)
// never reaches a host as a failed pull.
#pragma once

#include <string>
#include <string_view>

namespace stowage::model {

// "" when `image` is a valid reference, else what is wrong with it (for
// "image: ... is not a valid image reference (WHY)").
std::string ImageReferenceProblem(std::string_view image);

}  // namespace stowage::model
