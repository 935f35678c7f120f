#pragma once
// Request header lines as they go on the wire, "Name: value\r\n" each, in
// one string. An attempt's headers are built once by the endpoint and
// appended to the request by the HTTPS client as they are: one allocation
// per attempt instead of one per name and value.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sivo::engine {

class HeaderBlock {
 public:
  // Appends a header line. Refused (not added; the first refusal is kept for
  // refused()): a name that is not an HTTP token (empty, or with a ':', a
  // space or a control character), a value with a CR, LF or NUL in it (a
  // header injection), and the names the HTTPS client sets itself (Host,
  // User-Agent, Content-Type and the framing: Content-Length,
  // Transfer-Encoding, Connection).
  void add(std::string_view name, std::string_view value);
  // The same, with the value appended in place by write(out), so that a
  // computed value (a signature) needs no string of its own. A refused
  // line leaves the block as it was.
  template <class Write>
  void add_written(std::string_view name, Write&& write) {
    const std::size_t line = lines_.size();
    lines_.append(name).append(": ");
    const std::size_t value = lines_.size();
    write(lines_);
    if (!admits(name, std::string_view(lines_).substr(value))) {
      lines_.resize(line);
      return;
    }
    lines_.append("\r\n");
  }
  void reserve(std::size_t bytes) { lines_.reserve(bytes); }

  std::string_view lines() const { return lines_; }
  // How the first refused header is named in an error: its name, or
  // "(unprintable)" if the name has a CR, LF or NUL. nullopt if none.
  const std::optional<std::string>& refused() const { return refused_; }

 private:
  // Whether such a line may go in; the first refusal is kept.
  bool admits(std::string_view name, std::string_view value);

  std::string lines_;
  std::optional<std::string> refused_;
};

}  // namespace sivo::engine
