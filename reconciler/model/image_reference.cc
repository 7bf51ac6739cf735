#include "model/image_reference.h"

#include <cctype>
#include <vector>

namespace stowage::model {
namespace {

bool LowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool Alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool Hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// [a-z0-9]+ (([._]|__|-+) [a-z0-9]+)*
bool PathComponent(std::string_view c) {
  size_t i = 0;
  auto run = [&] {
    const size_t start = i;
    while (i < c.size() && LowerAlnum(c[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < c.size()) {
    if (c[i] == '.') {
      ++i;
    } else if (c[i] == '_') {
      i += (i + 1 < c.size() && c[i + 1] == '_') ? 2 : 1;
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

// A domain component: [A-Za-z0-9] | [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9].
bool DomainComponent(std::string_view c) {
  if (c.empty() || !Alnum(c.front()) || !Alnum(c.back())) return false;
  for (char ch : c) {
    if (!Alnum(ch) && ch != '-') return false;
  }
  return true;
}

bool Domain(std::string_view d) {
  if (!d.empty() && d.front() == '[') {  // [IPv6]:port
    const size_t close = d.find(']');
    if (close == std::string_view::npos) return false;
    for (char ch : d.substr(1, close - 1)) {
      if (!Hex(ch) && ch != ':') return false;
    }
    d = d.substr(close + 1);
    if (d.empty()) return true;
    if (d.front() != ':') return false;
    d = d.substr(1);
    if (d.empty()) return false;
    for (char ch : d) {
      if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
    }
    return true;
  }
  const size_t colon = d.find(':');
  const std::string_view host = d.substr(0, colon);
  for (auto part : Split(host, '.')) {
    if (!DomainComponent(part)) return false;
  }
  if (colon == std::string_view::npos) return true;
  const std::string_view port = d.substr(colon + 1);
  if (port.empty()) return false;
  for (char ch : port) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

bool Tag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  if (!Alnum(t[0]) && t[0] != '_') return false;
  for (char ch : t) {
    if (!Alnum(ch) && ch != '_' && ch != '.' && ch != '-') return false;
  }
  return true;
}

bool Digest(std::string_view d) {
  const size_t colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view algorithm = d.substr(0, colon);
  const std::string_view hex = d.substr(colon + 1);
  bool start = true;
  for (char ch : algorithm) {
    const bool sep = ch == '+' || ch == '.' || ch == '-' || ch == '_';
    if (start ? !std::isalpha(static_cast<unsigned char>(ch)) : !(Alnum(ch) || sep)) return false;
    start = sep;
  }
  if (start || hex.size() < 32) return false;
  for (char ch : hex) {
    if (!Hex(ch)) return false;
  }
  return true;
}

bool LooksLikePlaceholder(std::string_view image) {
  return image.find("${") != std::string_view::npos || image.find('<') != std::string_view::npos ||
         image.find("{{") != std::string_view::npos || image.find('$') != std::string_view::npos;
}

}  // namespace

std::string ImageReferenceProblem(std::string_view image) {
  if (image.empty()) return "it is empty";
  if (LooksLikePlaceholder(image)) return "it holds a placeholder: fill it in before committing";
  std::string_view rest = image;
  std::string_view digest;
  if (const size_t at = rest.find('@'); at != std::string_view::npos) {
    digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (!Digest(digest))
      return "bad digest \"" + std::string(digest) + "\" (expected sha256:<hex>)";
  }
  // A tag follows the last ':' after the last '/' (a ':' before it is a port).
  const size_t slash = rest.rfind('/');
  const size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    const std::string_view tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (!Tag(tag)) {
      return "bad tag \"" + std::string(tag) + "\" (letters, digits, '_', '.', '-', at most 128)";
    }
  }
  if (rest.size() > 255) return "the name is longer than 255 characters";
  std::vector<std::string_view> parts = Split(rest, '/');
  const std::string_view first = parts.front();
  const bool has_domain = parts.size() > 1 && (first.find('.') != std::string_view::npos ||
                                               first.find(':') != std::string_view::npos ||
                                               first == "localhost" || first.front() == '[');
  if (has_domain) {
    if (!Domain(first)) return "bad registry \"" + std::string(first) + "\"";
    parts.erase(parts.begin());
  }
  for (auto p : parts) {
    if (p.empty()) return "an empty path component";
    if (!PathComponent(p)) {
      for (char ch : p) {
        if (std::isupper(static_cast<unsigned char>(ch))) {
          return "repository \"" + std::string(p) + "\" must be lower case";
        }
      }
      return "bad repository component \"" + std::string(p) +
             "\" (lower-case letters and digits, separated by '.', '_', '__' or '-')";
    }
  }
  return "";
}

}  // namespace stowage::model
