// Labels of the two pages that collect the real network (/declare/<token>, /curate), in
// Indonesian and English; merged into the one translation table of i18n.js at start.
import { MESSAGES } from "./i18n.js";

const COLLECT = {
  id: {
    "declare.title": "Mitra inovasi Anda",
    "declare.subtitle": "Formulir dari Bappedalitbang — tanpa akun, cukup tautan ini",
    "declare.intro": "Periksa mitra yang tercatat untuk inovasi ini: benarkan, ubah, atau tandai yang sudah berakhir, lalu tambahkan mitra yang belum ada. Bappedalitbang akan memverifikasi sebelum data berubah.",
    "declare.owner": "Pemilik: {name}",
    "declare.declaredBy": "Nama dan jabatan Anda",
    "declare.current": "Mitra yang tercatat",
    "declare.currentHelp": "Mitra bertanda \"contoh\" hanyalah data ilustratif: mohon dibenarkan atau diakhiri.",
    "declare.none": "Belum ada mitra tercatat.",
    "declare.illustrative": "contoh (ilustratif)",
    "declare.reported": "terlapor",
    "declare.new": "baru",
    "declare.keep": "Masih bermitra",
    "declare.end": "Sudah berakhir",
    "declare.remove": "Hapus dari daftar",
    "declare.role": "Peran",
    "declare.strength": "Kekuatan",
    "declare.strength.1": "1 — sesekali",
    "declare.strength.2": "2 — rutin",
    "declare.strength.3": "3 — inti, dengan perjanjian",
    "declare.since": "Sejak",
    "declare.endedOn": "Berakhir pada",
    "declare.evidence": "Bukti (tautan atau nomor dokumen, opsional)",
    "declare.add": "Tambah mitra",
    "declare.addLegend": "Mitra yang belum tercatat",
    "declare.search": "Cari organisasi yang sudah terdaftar",
    "declare.searchPlaceholder": "mis. Puskesmas, Universitas, Bank",
    "declare.searchNone": "Tidak ditemukan. Tambahkan sebagai organisasi baru di bawah.",
    "declare.orNew": "Tidak ada di daftar? Tambahkan organisasi baru:",
    "declare.newName": "Nama organisasi baru",
    "declare.helix": "Unsur",
    "declare.kind": "Jenis (huruf kecil, mis. puskesmas)",
    "declare.addNew": "Tambah organisasi baru",
    "declare.newNameMissing": "Isi nama organisasi baru terlebih dahulu.",
    "declare.note": "Catatan untuk kurator (opsional)",
    "declare.send": "Kirim ke Bappedalitbang",
    "declare.sending": "Mengirim…",
    "declare.nameMissing": "Isi nama dan jabatan Anda.",
    "declare.empty": "Belum ada mitra untuk dikirim.",
    "declare.thanks": "Terima kasih",
    "declare.thanksText": "Deklarasi Anda sudah diterima dan menunggu verifikasi Bappedalitbang. Data baru berubah setelah diverifikasi.",
    "declare.expires": "Tautan ini berlaku sampai {day}.",
    "declare.sent": "Sudah ada {n} kiriman lewat tautan ini; kiriman baru akan ditinjau bersama.",
    "declare.refused": "Tautan tidak dapat dipakai: {detail}",
    "declare.noToken": "Tautan tidak lengkap. Buka tautan lengkap yang Anda terima.",
    "curate.title": "Antrean kurasi deklarasi",
    "curate.subtitle": "Bandingkan deklarasi pemilik inovasi dengan data sekarang, lalu terima atau tolak",
    "curate.key": "Kunci API kurator",
    "curate.load": "Muat antrean",
    "curate.empty": "Tidak ada deklarasi yang menunggu.",
    "curate.count": "{n} deklarasi menunggu.",
    "curate.by": "Dari {who}, {day}",
    "curate.note": "Catatan: {note}",
    "curate.accept": "Terima yang dicentang",
    "curate.reject": "Tolak seluruhnya",
    "curate.reason": "Alasan (wajib untuk menolak)",
    "curate.reasonMissing": "Tulis alasan penolakan.",
    "curate.accepted": "Deklarasi {id} diterima: {n} relasi ditulis sebagai terlapor.",
    "curate.rejected": "Deklarasi {id} ditolak.",
    "curate.col.take": "Terima",
    "curate.col.change": "Perubahan",
    "curate.col.actor": "Aktor",
    "curate.col.before": "Sekarang",
    "curate.col.after": "Menjadi",
    "curate.change.added": "ditambah",
    "curate.change.changed": "diubah",
    "curate.change.confirmed": "dibenarkan",
    "curate.change.ended": "diakhiri",
    "curate.duplicate": "Mungkin sama dengan: {names}",
    "curate.untouched": "Tidak disebut dalam deklarasi (tetap): {ids}",
  },
  en: {
    "declare.title": "Your innovation's partners",
    "declare.subtitle": "A form from Bappedalitbang — no account, just this link",
    "declare.intro": "Check the partners recorded for this innovation: confirm, correct, or mark those that ended, then add the partners that are missing. Bappedalitbang verifies before anything changes.",
    "declare.owner": "Owner: {name}",
    "declare.declaredBy": "Your name and position",
    "declare.current": "Recorded partners",
    "declare.currentHelp": "Partners marked \"example\" are illustrative data only: please confirm or end them.",
    "declare.none": "No partner recorded yet.",
    "declare.illustrative": "example (illustrative)",
    "declare.reported": "reported",
    "declare.new": "new",
    "declare.keep": "Still a partner",
    "declare.end": "Has ended",
    "declare.remove": "Remove from the list",
    "declare.role": "Role",
    "declare.strength": "Strength",
    "declare.strength.1": "1 — occasional",
    "declare.strength.2": "2 — regular",
    "declare.strength.3": "3 — core, with an agreement",
    "declare.since": "Since",
    "declare.endedOn": "Ended on",
    "declare.evidence": "Evidence (a link or document number, optional)",
    "declare.add": "Add partners",
    "declare.addLegend": "Partners not yet recorded",
    "declare.search": "Search organisations already listed",
    "declare.searchPlaceholder": "e.g. Puskesmas, University, Bank",
    "declare.searchNone": "Not found. Add it as a new organisation below.",
    "declare.orNew": "Not in the list? Add a new organisation:",
    "declare.newName": "Name of the new organisation",
    "declare.helix": "Helix kind",
    "declare.kind": "Kind (lowercase, e.g. puskesmas)",
    "declare.addNew": "Add new organisation",
    "declare.newNameMissing": "Fill in the new organisation's name first.",
    "declare.note": "Note for the curator (optional)",
    "declare.send": "Send to Bappedalitbang",
    "declare.sending": "Sending…",
    "declare.nameMissing": "Fill in your name and position.",
    "declare.empty": "No partner to send yet.",
    "declare.thanks": "Thank you",
    "declare.thanksText": "Your declaration was received and waits for Bappedalitbang's verification. The data changes only once it is verified.",
    "declare.expires": "This link works until {day}.",
    "declare.sent": "{n} declaration(s) already came through this link; a new one is reviewed with them.",
    "declare.refused": "The link cannot be used: {detail}",
    "declare.noToken": "The link is incomplete. Open the whole link you received.",
    "curate.title": "Declaration curation queue",
    "curate.subtitle": "Compare owners' declarations with today's data, then accept or reject",
    "curate.key": "Curator API key",
    "curate.load": "Load the queue",
    "curate.empty": "No declaration is waiting.",
    "curate.count": "{n} declaration(s) waiting.",
    "curate.by": "From {who}, {day}",
    "curate.note": "Note: {note}",
    "curate.accept": "Accept the ticked items",
    "curate.reject": "Reject it all",
    "curate.reason": "Reason (needed to reject)",
    "curate.reasonMissing": "Write the reason for the rejection.",
    "curate.accepted": "Declaration {id} accepted: {n} tie(s) written as reported.",
    "curate.rejected": "Declaration {id} rejected.",
    "curate.col.take": "Accept",
    "curate.col.change": "Change",
    "curate.col.actor": "Actor",
    "curate.col.before": "Now",
    "curate.col.after": "Becomes",
    "curate.change.added": "added",
    "curate.change.changed": "changed",
    "curate.change.confirmed": "confirmed",
    "curate.change.ended": "ended",
    "curate.duplicate": "Possibly the same as: {names}",
    "curate.untouched": "Not mentioned in the declaration (kept): {ids}",
  },
};

/** Add the pages' labels to the translation table (once). */
export function installMessages() {
  Object.assign(MESSAGES.id, COLLECT.id);
  Object.assign(MESSAGES.en, COLLECT.en);
}

/** A new element with text (never HTML: every text from the server is set as text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Show one message in the page's status box. */
export function say(box, text, kind = "") {
  box.replaceChildren(el("p", { className: `message ${kind ? `message-${kind}` : ""}`, text }));
}

/** JSON over /api/v1 with a bearer token; throws {status, detail} on an error answer. */
export async function call(path, token, options = {}) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${token}` };
  if (options.body) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { ...options, headers });
  } catch (error) {
    throw { status: 0, detail: String(error) };
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { detail: text.slice(0, 200) };
  }
  if (!response.ok) throw { status: response.status, detail: (body && body.detail) || response.statusText };
  return body;
}
