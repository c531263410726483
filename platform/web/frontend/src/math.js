// TeX in the server-rendered statement: span.math.inline and div.math.block hold the source
// as text; KaTeX replaces it with the rendering (HTML + MathML for screen readers).
import katex from "katex";

export function renderMath(root = document) {
  for (const node of root.querySelectorAll("span.math.inline, div.math.block")) {
    if (node.dataset.rendered) continue;
    const tex = node.textContent;
    const displayMode = node.classList.contains("block");
    try {
      katex.render(tex, node, { displayMode, throwOnError: false });
      node.dataset.rendered = "1";
    } catch (error) {
      // throwOnError:false renders TeX errors in place; this is only for a KaTeX bug.
      node.textContent = tex;
      console.error(error);
    }
  }
}
