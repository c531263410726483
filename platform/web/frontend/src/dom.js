// Small DOM helpers. Server data only ever reaches the page through textContent and attributes.

/**
 * el("li", {class: "x", title: t, dataset: {id: 3}, on: {click: f}}, "text", child, ...)
 * Strings (and numbers) become text nodes; null/undefined/false children are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") {
      for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    } else if (key === "text") node.textContent = value;
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/**
 * The element inside `section` that this script renders into: a div.tj-panel-body it creates
 * once, so that whatever the template put there (a heading) stays.
 */
export function panelBody(section) {
  let body = section.querySelector(":scope > .tj-panel-body");
  if (!body) {
    body = el("div", { class: "tj-panel-body" });
    section.appendChild(body);
  }
  return body;
}

export const isMac = /Mac|iPhone|iPad|iPod/.test(
  (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "",
);
