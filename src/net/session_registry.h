// The open sessions of one I/O thread, so that stop() can close every connection (and so
// fire the cancel callbacks of open streams) before the threads end. Touched only from that
// thread: no lock. Intrusive, so registering a connection allocates nothing.
#pragma once

namespace bedrock::net::detail {

struct RegistryLink {
  RegistryLink* prev = nullptr;
  RegistryLink* next = nullptr;
  bool linked = false;
};

class SessionRegistry {
 public:
  void add(RegistryLink& link) {
    link.prev = nullptr;
    link.next = head_;
    if (head_ != nullptr) head_->prev = &link;
    head_ = &link;
    link.linked = true;
  }
  void remove(RegistryLink& link) {
    if (!link.linked) return;
    if (link.prev != nullptr) link.prev->next = link.next;
    if (link.next != nullptr) link.next->prev = link.prev;
    if (head_ == &link) head_ = link.next;
    link.prev = link.next = nullptr;
    link.linked = false;
  }
  RegistryLink* first() const { return head_; }

 private:
  RegistryLink* head_ = nullptr;
};

}  // namespace bedrock::net::detail
