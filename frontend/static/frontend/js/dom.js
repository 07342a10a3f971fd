// A new element with its attributes (those given as undefined are left out) and text.
export function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}
