// The dashboard's "Collecting the real network" card: ties verified, reported and still
// illustrative, items waiting for curation and invitations, from /api/v1/declarations/progress.
import { asOf } from "./api.js";
import { onLangChange, t } from "./i18n.js";
import { el } from "./collect-messages.js";

const ROWS = 10;

export class CollectProgress {
  constructor(box) {
    this.box = box;
    this.data = null;
    this.loads = 0;
    onLangChange(() => this.render());
  }

  /** Load the progress of a region (null: everywhere) on the page's as-of day; the card hides
   * itself on failure. */
  async load(region) {
    const load = ++this.loads;
    // The page's as-of day; only the rows shown (a whole country has 35,000 innovations).
    const params = new URLSearchParams({ at: asOf(), limit: String(ROWS) });
    if (region) params.set("region", region);
    const query = `?${params}`;
    try {
      const response = await fetch(`/api/v1/declarations/progress${query}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      if (load !== this.loads) return;
      this.data = data;
    } catch {
      if (load !== this.loads) return;
      this.data = null;
    }
    this.render();
  }

  render() {
    const data = this.data;
    this.box.hidden = !data;
    if (!data) return;
    const p = data.portfolio;
    const i = data.invitations;
    const head = el("tr", {}, ...["innovation", "verified", "illustrative", "waiting", "invitation"].map((c) => el("th", { scope: "col", text: t(`collect.col.${c}`) })));
    const rows = data.innovations.slice(0, ROWS).map((row) =>
      el(
        "tr",
        {},
        el("td", { text: row.name }),
        el("td", { className: "num", text: `${row.verified}/${row.ties}` }),
        el("td", { className: "num", text: `${row.illustrative}/${row.ties}` }),
        el("td", { className: "num", text: String(row.proposed_items) }),
        el("td", { text: t(`collect.invitation.${row.invitation || "none"}`) }),
      ),
    );
    this.box.replaceChildren(
      el("h2", { text: t("collect.title") }),
      el("p", { "data-testid": "collect-summary", text: t("collect.summary", { verified: p.verified, ties: p.ties, reported: p.reported, illustrative: p.illustrative, waiting: p.proposed_items }) }),
      el("p", { className: "small", text: t("collect.invitations", i) }),
      // Wide on a phone: the table scrolls inside its box (a keyboard stop), never the page.
      el("div", { className: "table-wrap", tabindex: "0" }, el("table", {}, el("caption", { className: "small muted", text: t("collect.caption") }), el("thead", {}, head), el("tbody", {}, ...rows))),
    );
  }
}
