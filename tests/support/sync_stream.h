// An ostream that many threads may write while a test reads what was written so far.
#pragma once

#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace stampede::testing {

/// Give it to a Logger on another thread; read with str() at any time. Thread-safe.
class SyncStringStream : public std::ostream {
 public:
  SyncStringStream() : std::ostream(&buf_) {}
  std::string str() const { return buf_.str(); }

 private:
  class Buf : public std::streambuf {
   public:
    std::string str() const {
      std::lock_guard<std::mutex> lock(mu_);
      return text_;
    }

   protected:
    int_type overflow(int_type c) override {
      if (c != traits_type::eof()) {
        std::lock_guard<std::mutex> lock(mu_);
        text_ += traits_type::to_char_type(c);
      }
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      std::lock_guard<std::mutex> lock(mu_);
      text_.append(s, static_cast<std::size_t>(n));
      return n;
    }

   private:
    mutable std::mutex mu_;
    std::string text_;
  };
  Buf buf_;
};

}  // namespace stampede::testing
