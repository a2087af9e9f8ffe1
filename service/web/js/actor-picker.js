// A searchable picker of several actors (an ARIA combobox with a list box): type to filter the
// names, arrows to move, Enter or a click to add, Escape to close the list; the chosen actors
// are listed under it, each with a button that takes it out again.
import { label, t } from "./i18n.js";
import { clear, h } from "./ui.js";

const SHOWN = 40; // options listed at once; typing narrows the rest down

/** Lower case without accents, so "ulm" finds "ULM" and "dinas" finds "Dinas". */
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

export class ActorPicker {
  /** `input`, `list` (the list box) and `chosen` (the list of picked actors) are elements of
   * the page; `onChange` hears the picked ids after each change. */
  constructor({ input, list, chosen, count, onChange }) {
    this.el = { input, list, chosen, count };
    this.onChange = onChange || (() => {});
    this.actors = [];
    this.picked = [];
    this.matches = [];
    this.active = -1;
    // The list opens when asked (typing, a click, an arrow key), not when the focus merely
    // comes back to the field after a pick.
    input.addEventListener("input", () => this.open());
    input.addEventListener("click", () => this.open());
    input.addEventListener("blur", () => this.close());
    input.addEventListener("keydown", (event) => this.key(event));
    // A press on an option must not blur the input first (that would close the list).
    list.addEventListener("mousedown", (event) => event.preventDefault());
  }

  /** The actors to pick from: [{id, name, helix}], in the order to list them. */
  setActors(actors) {
    this.actors = actors;
    this.picked = [];
    this.el.input.value = "";
    this.close();
    this.renderChosen();
  }

  /** Pick exactly these ids (e.g. "simulate losing this actor" from a panel). */
  set(ids) {
    const known = new Set(this.actors.map((a) => a.id));
    this.picked = ids.filter((id) => known.has(id));
    this.el.input.value = "";
    this.close();
    this.renderChosen();
  }

  nameOf(id) {
    return this.actors.find((a) => a.id === id)?.name || id;
  }

  open() {
    const q = fold(this.el.input.value.trim());
    this.matches = this.actors.filter((a) => !this.picked.includes(a.id) && (!q || fold(`${a.name} ${label("helix", a.helix)}`).includes(q)));
    this.active = q && this.matches.length ? 0 : -1;
    this.renderList();
  }

  close() {
    this.el.list.hidden = true;
    this.el.input.setAttribute("aria-expanded", "false");
    this.el.input.removeAttribute("aria-activedescendant");
    this.el.count.textContent = t("wi.pickCount", { n: this.actors.length - this.picked.length });
  }

  renderList() {
    const list = clear(this.el.list);
    const shown = this.matches.slice(0, SHOWN);
    shown.forEach((actor, i) => {
      list.append(h("li", {
        id: `w-option-${i}`, role: "option", class: i === this.active ? "active" : null, "aria-selected": String(i === this.active),
        dataset: { testid: "whatif-option", id: actor.id }, onClick: () => this.pick(actor.id),
      }, actor.name, h("span", { class: "muted" }, ` · ${label("helix", actor.helix)}`)));
    });
    list.hidden = !shown.length;
    this.el.input.setAttribute("aria-expanded", String(!list.hidden));
    if (this.active >= 0) {
      this.el.input.setAttribute("aria-activedescendant", `w-option-${this.active}`);
      list.children[this.active].scrollIntoView({ block: "nearest" });
    } else this.el.input.removeAttribute("aria-activedescendant");
    // How many match, said politely to screen readers and shown to everyone.
    const n = this.matches.length;
    this.el.count.textContent = !n ? t("wi.pickNone") : n > SHOWN ? t("wi.pickMore", { n, shown: SHOWN }) : t("wi.pickMatch", { n });
  }

  key(event) {
    const n = Math.min(this.matches.length, SHOWN);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (this.el.list.hidden) this.open();
      else if (n && event.key === "ArrowDown") this.active = this.active < 0 ? 0 : (this.active + 1) % n;
      else if (n) this.active = this.active <= 0 ? n - 1 : this.active - 1;
      this.renderList();
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (!this.el.list.hidden && n) this.pick(this.matches[Math.max(0, this.active)].id);
      event.preventDefault();
    } else if (event.key === "Escape" && !this.el.list.hidden) {
      this.close();
      event.preventDefault(); // the list closes; the details panel stays
    }
  }

  pick(id) {
    if (!this.picked.includes(id)) this.picked.push(id);
    this.el.input.value = "";
    this.close();
    this.renderChosen();
    this.el.input.focus();
    this.onChange(this.picked);
  }

  unpick(id) {
    this.picked = this.picked.filter((x) => x !== id);
    this.close();
    this.renderChosen();
    this.el.input.focus();
    this.onChange(this.picked);
  }

  renderChosen() {
    const list = clear(this.el.chosen);
    if (!this.picked.length) list.append(h("li", { class: "muted small" }, t("wi.noneRemoved")));
    for (const id of this.picked) {
      const actor = this.actors.find((a) => a.id === id);
      const name = actor?.name || id;
      list.append(h("li", { dataset: { testid: "whatif-removed-actor", id } },
        h("span", {}, name, actor ? h("span", { class: "muted" }, ` · ${label("helix", actor.helix)}`) : ""), " ",
        h("button", { type: "button", class: "icon", "aria-label": t("wi.unpick", { name }), onClick: () => this.unpick(id) }, "×")));
    }
  }
}
