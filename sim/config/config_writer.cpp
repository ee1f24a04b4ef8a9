// Writing a struct's values through describe() as a Document, in describe() order.
#include <string>

#include "sim/config/config_node.hpp"

namespace sim::config {
namespace {

std::shared_ptr<Node> deep_copy(const Node& n) {
  auto out = std::make_shared<Node>(n);
  for (NodePtr& item : out->items) item = deep_copy(*item);
  for (Entry& e : out->entries) e.value = deep_copy(*e.value);
  return out;
}

}  // namespace

struct Writer::Impl {
  std::shared_ptr<Node> root = std::make_shared<Node>();
  std::vector<Node*> open{root.get()};

  void add(std::string_view key, NodePtr value) {
    open.back()->entries.push_back({std::string(key), {}, std::move(value)});
  }
  Node* add_container(std::string_view key, Kind kind) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    Node* raw = n.get();
    add(key, std::move(n));
    return raw;
  }
  static NodePtr list_node(std::vector<NodePtr> items) {
    auto n = std::make_shared<Node>();
    n->kind = Kind::kList;
    n->items = std::move(items);
    return n;
  }
  template <class T, class ToNode>
  static NodePtr list_of(const std::vector<T>& values, ToNode to_node) {
    std::vector<NodePtr> items;
    items.reserve(values.size());
    for (const T& v : values) items.push_back(to_node(v));
    return list_node(std::move(items));
  }
  static NodePtr number(double v) { return scalar_node(format_number(v)); }
  static NodePtr text(const std::string& v) { return scalar_node(v); }
};

Writer::Writer() : impl_(std::make_unique<Impl>()) {}
Writer::~Writer() = default;

void Writer::value(std::string_view key, bool& v, const Meta&) {
  impl_->add(key, scalar_node(v ? "true" : "false"));
}
void Writer::value(std::string_view key, std::int64_t& v, const Meta&) {
  impl_->add(key, scalar_node(std::to_string(v)));
}
void Writer::value(std::string_view key, double& v, const Meta&) {
  impl_->add(key, Impl::number(v));
}
void Writer::value(std::string_view key, std::string& v, const Meta&) {
  impl_->add(key, Impl::text(v));
}
void Writer::value(std::string_view key, std::vector<double>& v, const Meta&) {
  impl_->add(key, Impl::list_of(v, Impl::number));
}
void Writer::value(std::string_view key, std::vector<std::string>& v, const Meta&) {
  impl_->add(key, Impl::list_of(v, Impl::text));
}
void Writer::value(std::string_view key, std::vector<std::vector<double>>& v, const Meta&) {
  impl_->add(key,
             Impl::list_of(v, [](const auto& row) { return Impl::list_of(row, Impl::number); }));
}
void Writer::value(std::string_view key, std::vector<std::vector<std::string>>& v, const Meta&) {
  impl_->add(key, Impl::list_of(v, [](const auto& row) { return Impl::list_of(row, Impl::text); }));
}
void Writer::choice(std::string_view key, std::string& v, const std::vector<std::string_view>&,
                    const Meta&) {
  impl_->add(key, Impl::text(v));
}

bool Writer::enter_group(std::string_view key, std::string_view) {
  impl_->open.push_back(impl_->add_container(key, Kind::kMap));
  return true;
}
void Writer::leave_group() {
  impl_->open.pop_back();
}

std::size_t Writer::enter_list(std::string_view key, std::size_t current_size, std::string_view) {
  impl_->open.push_back(impl_->add_container(key, Kind::kList));
  return current_size;
}
void Writer::enter_item(std::size_t) {
  auto item = std::make_shared<Node>();
  Node* raw = item.get();
  impl_->open.back()->items.push_back(std::move(item));
  impl_->open.push_back(raw);
}
void Writer::leave_item() {
  impl_->open.pop_back();
}
void Writer::leave_list() {
  impl_->open.pop_back();
}

// A copy, so that the Document stays immutable if the Writer is used again.
Document Writer::document() const {
  return DocumentAccess::make(deep_copy(*impl_->root));
}

std::string Writer::str() const {
  return document().to_yaml();
}

}  // namespace sim::config
