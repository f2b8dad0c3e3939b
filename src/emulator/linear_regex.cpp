#include "linear_regex.h"

#include <fmt/format.h>

#include <memory>
#include <optional>

namespace bedrock::emulator {
namespace {

using ByteSet = std::bitset<256>;

// The parsed pattern. Parsing recurses per group level, on the configured pattern only
// (bounded by kMaxNesting), never on the prompt.
struct Node {
  enum class Kind { Set, Empty, Concat, Alternate, Repeat, Begin, End } kind;
  ByteSet set;
  std::vector<std::unique_ptr<Node>> children;
  int min = 0;
  int max = -1;  // -1: unbounded
};
using NodePtr = std::unique_ptr<Node>;

constexpr int kMaxNesting = 64;
constexpr int kMaxRepeat = 1000;

NodePtr make(Node::Kind kind) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  return n;
}

ByteSet range(unsigned char lo, unsigned char hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

ByteSet digits() { return range('0', '9'); }
ByteSet word() { return range('a', 'z') | range('A', 'Z') | digits() | range('_', '_'); }
ByteSet spaces() {
  ByteSet s;
  for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) s.set(c);
  return s;
}

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  Result<NodePtr> parse() {
    auto n = alternation(0);
    if (!n) return n;
    if (pos_ < p_.size()) return error("unmatched ')'");
    return n;
  }

 private:
  Result<NodePtr> error(std::string_view what) const {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("{} at offset {}", what, std::min(pos_, p_.size())));
  }
  bool more() const { return pos_ < p_.size(); }
  char peek() const { return p_[pos_]; }

  Result<NodePtr> alternation(int depth) {
    if (depth > kMaxNesting) return error("groups nested too deeply");
    auto first = concatenation(depth);
    if (!first) return first;
    if (!more() || peek() != '|') return first;
    auto alt = make(Node::Kind::Alternate);
    alt->children.push_back(std::move(*first));
    while (more() && peek() == '|') {
      ++pos_;
      auto next = concatenation(depth);
      if (!next) return next;
      alt->children.push_back(std::move(*next));
    }
    return alt;
  }

  Result<NodePtr> concatenation(int depth) {
    auto cat = make(Node::Kind::Concat);
    while (more() && peek() != '|' && peek() != ')') {
      auto atom = this->atom(depth);
      if (!atom) return atom;
      auto repeated = quantified(std::move(*atom));
      if (!repeated) return repeated;
      cat->children.push_back(std::move(*repeated));
    }
    return cat;
  }

  std::optional<int> number() {
    int n = 0;
    std::size_t start = pos_;
    while (more() && peek() >= '0' && peek() <= '9') {
      n = n * 10 + (peek() - '0');
      if (n > kMaxRepeat) n = kMaxRepeat + 1;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return n;
  }

  Result<NodePtr> quantified(NodePtr atom) {
    if (!more()) return atom;
    int min = 0;
    int max = -1;
    const char c = peek();
    if (c == '*') {
      ++pos_;
    } else if (c == '+') {
      min = 1;
      ++pos_;
    } else if (c == '?') {
      max = 1;
      ++pos_;
    } else if (c == '{') {
      const std::size_t brace = pos_++;
      auto lo = number();
      if (!lo) {
        pos_ = brace;  // a literal '{', as ECMAScript's Annex B reads it
        return atom;
      }
      min = *lo;
      max = *lo;
      if (more() && peek() == ',') {
        ++pos_;
        auto hi = number();
        max = hi ? *hi : -1;
      }
      if (!more() || peek() != '}') return error("malformed {m,n}");
      ++pos_;
      if (min > kMaxRepeat || max > kMaxRepeat) {
        return error(fmt::format("repeat count over {}", kMaxRepeat));
      }
      if (max != -1 && max < min) return error("{m,n} with n < m");
    } else {
      return atom;
    }
    if (more() && peek() == '?') ++pos_;  // lazy: same occurrences for search
    if (atom->kind == Node::Kind::Begin || atom->kind == Node::Kind::End) {
      return error("nothing to repeat");
    }
    auto rep = make(Node::Kind::Repeat);
    rep->min = min;
    rep->max = max;
    rep->children.push_back(std::move(atom));
    return rep;
  }

  // An escape after '\\'; `in_class` allows \b as backspace (as ECMAScript does).
  Result<ByteSet> escape(bool in_class) {
    if (!more()) return fail(ErrorCode::ConfigurationInvalid, "pattern ends with '\\'");
    const char c = p_[pos_++];
    switch (c) {
      case 'd':
        return digits();
      case 'D':
        return ~digits();
      case 'w':
        return word();
      case 'W':
        return ~word();
      case 's':
        return spaces();
      case 'S':
        return ~spaces();
      case 'n':
        return range('\n', '\n');
      case 'r':
        return range('\r', '\r');
      case 't':
        return range('\t', '\t');
      case 'f':
        return range('\f', '\f');
      case 'v':
        return range('\v', '\v');
      case '0':
        return range('\0', '\0');
      default:
        break;
    }
    if (in_class && c == 'b') return range('\b', '\b');
    if ((c >= '1' && c <= '9') || c == 'b' || c == 'B' || c == 'k' || c == 'x' || c == 'u' ||
        c == 'c' || c == 'p' || c == 'P') {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("unsupported escape '\\{}' at offset {}", c, pos_ - 2));
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("unknown escape '\\{}' at offset {}", c, pos_ - 2));
    }
    return range(static_cast<unsigned char>(c), static_cast<unsigned char>(c));
  }

  Result<NodePtr> char_class() {
    ++pos_;  // '['
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++pos_;
    }
    ByteSet set;
    while (more() && peek() != ']') {  // "[]" matches nothing, "[^]" anything
      ByteSet item;
      int single = -1;
      if (peek() == '\\') {
        ++pos_;
        auto e = escape(true);
        if (!e) return fail(e.error());
        item = *e;
        if (item.count() == 1) {
          for (int c = 0; c < 256; ++c) {
            if (item.test(static_cast<std::size_t>(c))) single = c;
          }
        }
      } else {
        single = static_cast<unsigned char>(p_[pos_++]);
        item.set(static_cast<std::size_t>(single));
      }
      if (single >= 0 && pos_ + 1 < p_.size() && peek() == '-' && p_[pos_ + 1] != ']') {
        ++pos_;
        int hi = -1;
        if (peek() == '\\') {
          ++pos_;
          auto e = escape(true);
          if (!e) return fail(e.error());
          if (e->count() != 1) return error("class escape as a range end");
          for (int c = 0; c < 256; ++c) {
            if (e->test(static_cast<std::size_t>(c))) hi = c;
          }
        } else {
          hi = static_cast<unsigned char>(p_[pos_++]);
        }
        if (hi < single) return error("range out of order in [...]");
        item = range(static_cast<unsigned char>(single), static_cast<unsigned char>(hi));
      }
      set |= item;
    }
    if (!more()) return error("missing ']'");
    ++pos_;  // ']'
    auto n = make(Node::Kind::Set);
    n->set = negate ? ~set : set;
    return n;
  }

  Result<NodePtr> atom(int depth) {
    const char c = peek();
    switch (c) {
      case '(': {
        ++pos_;
        if (more() && peek() == '?') {
          if (pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') {
            pos_ += 2;
          } else {
            return error("lookarounds and named groups are not supported");
          }
        }
        auto inner = alternation(depth + 1);
        if (!inner) return inner;
        if (!more() || peek() != ')') return error("missing ')'");
        ++pos_;
        return inner;
      }
      case '[':
        return char_class();
      case '.': {
        ++pos_;
        auto n = make(Node::Kind::Set);
        n->set = ~(range('\n', '\n') | range('\r', '\r'));
        return n;
      }
      case '^':
        ++pos_;
        return make(Node::Kind::Begin);
      case '$':
        ++pos_;
        return make(Node::Kind::End);
      case '\\': {
        ++pos_;
        auto e = escape(false);
        if (!e) return fail(e.error());
        auto n = make(Node::Kind::Set);
        n->set = *e;
        return n;
      }
      case '*':
      case '+':
      case '?':
        return error("nothing to repeat");
      default: {
        ++pos_;
        auto n = make(Node::Kind::Set);
        n->set.set(static_cast<unsigned char>(c));
        return n;
      }
    }
  }

  std::string_view p_;
  std::size_t pos_ = 0;
};

using Inst = LinearRegex::Inst;

class Emitter {
 public:
  Emitter(std::vector<Inst>& program, std::vector<ByteSet>& sets)
      : program_(program), sets_(sets) {}

  bool emit(const Node& n) {
    if (program_.size() > LinearRegex::kMaxProgram) return false;
    switch (n.kind) {
      case Node::Kind::Set:
        if (n.set.count() == 1) {
          int byte = 0;
          while (!n.set.test(static_cast<std::size_t>(byte))) ++byte;
          add({Inst::Op::Byte, byte});
        } else {
          sets_.push_back(n.set);
          add({Inst::Op::Set, static_cast<int>(sets_.size() - 1)});
        }
        return true;
      case Node::Kind::Empty:
        return true;
      case Node::Kind::Begin:
        add({Inst::Op::Begin});
        return true;
      case Node::Kind::End:
        add({Inst::Op::End});
        return true;
      case Node::Kind::Concat:
        for (const auto& c : n.children) {
          if (!emit(*c)) return false;
        }
        return true;
      case Node::Kind::Alternate: {
        std::vector<int> jumps;
        for (std::size_t i = 0; i < n.children.size(); ++i) {
          if (i + 1 < n.children.size()) {
            const int split = add({Inst::Op::Split});
            program_[split].next = size();
            if (!emit(*n.children[i])) return false;
            jumps.push_back(add({Inst::Op::Jump}));
            program_[split].alt = size();
          } else if (!emit(*n.children[i])) {
            return false;
          }
        }
        for (int j : jumps) program_[j].next = size();
        return true;
      }
      case Node::Kind::Repeat: {
        const Node& body = *n.children.front();
        for (int i = 0; i < n.min; ++i) {
          if (!emit(body)) return false;
        }
        if (n.max == -1) {
          const int split = add({Inst::Op::Split});
          program_[split].next = size();
          if (!emit(body)) return false;
          Inst back{Inst::Op::Jump};
          back.next = split;
          add(back);
          program_[split].alt = size();
          return true;
        }
        std::vector<int> splits;
        for (int i = n.min; i < n.max; ++i) {
          const int split = add({Inst::Op::Split});
          program_[split].next = size();
          splits.push_back(split);
          if (!emit(body)) return false;
        }
        for (int s : splits) program_[s].alt = size();
        return true;
      }
    }
    return false;
  }

  int add(Inst inst) {
    program_.push_back(inst);
    return size() - 1;
  }
  int size() const { return static_cast<int>(program_.size()); }

 private:
  std::vector<Inst>& program_;
  std::vector<ByteSet>& sets_;
};

}  // namespace

Result<LinearRegex> LinearRegex::compile(std::string_view pattern) {
  Parser parser(pattern);
  auto tree = parser.parse();
  if (!tree) return fail(tree.error());
  LinearRegex re;
  Emitter emitter(re.program_, re.sets_);
  if (!emitter.emit(**tree) || re.program_.size() > kMaxProgram) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("pattern too large (over {} instructions once repeats are expanded)",
                            kMaxProgram));
  }
  re.program_.push_back({Inst::Op::Match});
  return re;
}

bool LinearRegex::search(std::string_view text) const {
  const int n = static_cast<int>(program_.size());
  // Thread lists with a generation mark per instruction, so each instruction is added at most
  // once per position: the simulation is O(text * program), and the closure uses an explicit
  // stack, not recursion.
  std::vector<int> current;
  std::vector<int> next;
  std::vector<std::size_t> mark(static_cast<std::size_t>(n), static_cast<std::size_t>(-1));
  std::vector<int> stack;
  current.reserve(static_cast<std::size_t>(n));
  next.reserve(static_cast<std::size_t>(n));

  // Adds pc and what it reaches without reading a byte, at position `at`; true on Match.
  auto add = [&](std::vector<int>& list, int pc, std::size_t at, std::size_t generation) {
    stack.push_back(pc);
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      if (mark[static_cast<std::size_t>(p)] == generation) continue;
      mark[static_cast<std::size_t>(p)] = generation;
      const Inst& inst = program_[static_cast<std::size_t>(p)];
      switch (inst.op) {
        case Inst::Op::Match:
          stack.clear();
          return true;
        case Inst::Op::Jump:
          stack.push_back(inst.next);
          break;
        case Inst::Op::Split:
          stack.push_back(inst.alt);
          stack.push_back(inst.next);
          break;
        case Inst::Op::Begin:
          if (at == 0) stack.push_back(p + 1);
          break;
        case Inst::Op::End:
          if (at == text.size()) stack.push_back(p + 1);
          break;
        case Inst::Op::Byte:
        case Inst::Op::Set:
          list.push_back(p);
          break;
      }
    }
    return false;
  };

  for (std::size_t at = 0; at <= text.size(); ++at) {
    // A new attempt starts at every position (search, not match); the marks make a thread
    // already present cost nothing.
    if (add(current, 0, at, at)) return true;
    if (at == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[at]);
    next.clear();
    for (int pc : current) {
      const Inst& inst = program_[static_cast<std::size_t>(pc)];
      const bool ok = inst.op == Inst::Op::Byte
                          ? inst.arg == byte
                          : sets_[static_cast<std::size_t>(inst.arg)].test(byte);
      if (ok && add(next, pc + 1, at + 1, at + 1)) return true;
    }
    current.swap(next);
  }
  return false;
}

}  // namespace bedrock::emulator
