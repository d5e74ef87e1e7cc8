/* global mermaid, document, window, getComputedStyle */
// Runs in the page of `npm run check:summary`: draws each Mermaid block of the rendered summary as GitHub
// does (the block's text handed to Mermaid, the SVG in its place) and reports what was drawn.
window.renderMermaidBlocks = async () => {
  mermaid.initialize({ startOnLoad: false });
  const reports = [];
  const blocks = [...document.querySelectorAll('pre > code.language-mermaid')];
  for (const [i, code] of blocks.entries()) {
    const source = code.textContent;
    const holder = document.createElement('div');
    code.parentElement.replaceWith(holder);
    try {
      holder.innerHTML = (await mermaid.render(`chart${i}`, source)).svg;
    } catch (error) {
      reports.push({ source, error: String(error && error.message ? error.message : error) });
      continue;
    }
    const svg = holder.querySelector('svg');
    const right = (el) => el.getBBox().x + el.getBBox().width;
    reports.push({
      source,
      // Mermaid draws its "Syntax error" picture instead of throwing in some cases.
      error: svg.querySelector('.error-text, .error-icon') ? svg.textContent : undefined,
      ticks: [...svg.querySelectorAll('.grid .tick text')].map((t) => t.textContent),
      axisWidth: svg.querySelector('.grid .domain').getBBox().width,
      tasks: [...svg.querySelectorAll('rect.task')].map((rect) => ({
        text: document.getElementById(`${rect.id}-text`)?.textContent,
        className: rect.getAttribute('class'),
        y: Number(rect.getAttribute('y')),
        x: Number(rect.getAttribute('x')),
        width: Number(rect.getAttribute('width')),
        fill: getComputedStyle(rect).fill,
      })),
      sections: [...svg.querySelectorAll('text.sectionTitle')].map((t) => ({ text: [...t.querySelectorAll('tspan')].map((s) => s.textContent), right: right(t) })),
    });
  }
  return { reports, tables: document.querySelectorAll('article table').length };
};
