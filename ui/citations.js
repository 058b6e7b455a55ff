// Clicking a citation marker [n] in the chat brings its passage into view in the sources
// panel: the answer's sources are shown (an earlier answer's if the marker is in an
// earlier message), and the cited passage is scrolled to and highlighted.
() => {
  if (window.__qaCitations) return;
  window.__qaCitations = true;
  const show = (turn, number) => {
    const section = document.getElementById(`qa-turn-${turn}`);
    // a passage cited by several markers is one card: the others are anchors inside it
    const card = document.getElementById(`qa-src-${turn}-${number}`)?.closest(".qa-source");
    if (!section || !card) return false;
    document.querySelectorAll(".qa-turn").forEach((s) => s.classList.toggle("qa-hidden", s !== section));
    document.querySelectorAll(".qa-source.qa-active").forEach((c) => c.classList.remove("qa-active"));
    card.classList.add("qa-active");
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    const quote = card.querySelector(".qa-quote");
    if (quote) quote.scrollIntoView({ block: "nearest", behavior: "smooth" });
    return true;
  };
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a.qa-cite") : null;
      if (!link) return;
      const match = /^#qa-src-(\d+)-(\d+)$/.exec(link.getAttribute("href") || "");
      if (!match) return;
      event.preventDefault();
      event.stopPropagation();
      show(match[1], match[2]);
    },
    true,
  );
}
