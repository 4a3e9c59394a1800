import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { translate } from "../../locales/translate.js";
import type { RingReadiness } from "../rollout/ring-readiness.js";
import { diagnosisLocaleKey } from "../triage/engine/diagnosis-text.js";
import type { InventoryInsights, PeopleInsight } from "./find-insights.js";

/** Chart.js's UMD build, read once from the installed package and inlined: the report must open with no network. */
let chartLibrary: string | null = null;
function chartJs(): string {
  chartLibrary ??= readFileSync(join(dirname(require.resolve("chart.js")), "chart.umd.min.js"), "utf8");
  return chartLibrary;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** JSON inside a <script> must not be able to close it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function peopleSection<T extends { userPrincipalName: string; displayName: string }>(
  title: string,
  insight: PeopleInsight<T>,
  extra: Array<[string, (item: T) => string]> = [],
): string {
  const more = insight.count > insight.people.length ? ` (first ${insight.people.length} shown)` : "";
  return `<section><h2>${escapeHtml(title)} — ${insight.count}${more}</h2>${table(
    ["Person", "UPN", ...extra.map(([h]) => h)],
    insight.people.map((p) => [p.displayName, p.userPrincipalName, ...extra.map(([, f]) => f(p))]),
  )}</section>`;
}

export interface InventoryReportData {
  tenantName: string;
  generatedDateTime: string;
  snapshotId: string;
  insights: InventoryInsights;
  rings?: RingReadiness[];
}

/**
 * The administrators' report as one self-contained HTML file: Chart.js inlined (no CDN), the data inlined, charts for
 * the authenticator mix, registrations over time and each ring's funnel, and a table for every insight.
 */
export function renderInventoryHtml(data: InventoryReportData): string {
  const i = data.insights;
  const mix = i.aaguids.map((entry) => ({ label: entry.name, count: entry.count }));
  const funnels = (data.rings ?? []).map((ring) => ({
    label: ring.ringName,
    values: [
      ring.funnel.members,
      ring.funnel.inPolicy,
      ring.funnel.canProveIdentity,
      ring.funnel.platformReady,
      ring.funnel.authenticatorAccepted,
      ring.funnel.registered,
    ],
  }));
  const ringSections = (data.rings ?? [])
    .map(
      (ring) => `<section><h2>Ring ${escapeHtml(ring.ringName)} — next step: ${escapeHtml(ring.nextStep)}</h2>
<p>Safe to require phishing-resistant sign-in: <strong>${ring.isSafeToRequirePhishingResistant ? "yes" : "not yet"}</strong>
(${ring.withoutPhishingResistant} members have no phishing-resistant method).</p>
${table(
  ["Blocked at", "People", "Admin fix"],
  ring.blockers.map((b) => [
    b.question,
    String(b.count),
    b.fix ? translate("en", diagnosisLocaleKey(b.fix), b.fix.params) : "—",
  ]),
)}
<h3>Recommended allow list (AAGUIDs in use)</h3>
${table(
  ["AAGUID", "Authenticator", "Passkeys"],
  ring.recommendedAllowList.map((e) => [e.aaGuid, e.name, String(e.count)]),
)}
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Passkey inventory — ${escapeHtml(data.tenantName)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>
body{font-family:system-ui,Segoe UI,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}th{background:#f3f3f3}.none{color:#777}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1.5rem}.chart{height:300px}
.totals span{display:inline-block;margin-right:1.5rem}
</style></head><body>
<h1>Passkey inventory — ${escapeHtml(data.tenantName)}</h1>
<p>Snapshot ${escapeHtml(data.snapshotId)}, report generated ${escapeHtml(data.generatedDateTime)}.</p>
<p class="totals"><span>People: <b>${i.totals.users}</b></span><span>Enabled: <b>${i.totals.enabled}</b></span><span>Disabled: <b>${i.totals.disabled}</b></span><span>With a passkey: <b>${i.totals.withPasskey}</b></span><span>Passkeys: <b>${i.totals.passkeys}</b></span></p>
<div class="charts">
<div><h2>Authenticator mix</h2><div class="chart"><canvas id="mix"></canvas></div></div>
<div><h2>Passkeys added per day</h2><div class="chart"><canvas id="timeline"></canvas></div></div>
<div><h2>Ring funnel</h2><div class="chart"><canvas id="funnel"></canvas></div></div>
</div>
<section><h2>Authenticators seen (AAGUID, named)</h2>${table(
    ["AAGUID", "Authenticator", "Passkeys", "Accepted by", "Refused by"],
    i.aaguids.map((e) => [
      e.aaGuid ?? "(report names the family only)",
      e.name,
      String(e.count),
      e.acceptedBy.join(", "),
      e.refusedBy.join(", "),
    ]),
  )}</section>
${peopleSection("No phishing-resistant method", i.noPhishingResistant)}
${peopleSection("Passkeys no profile in the owner's scope accepts now", i.unacceptedPasskeys, [
  ["Passkey", (p) => p.passkey],
  ["Refused by", (p) => p.refusedBy.join(", ")],
])}
${peopleSection("Synced passkeys where the profiles expect device-bound", i.syncedWhereDeviceBound, [["Passkey", (p) => p.passkey]])}
<section><h2>Bulk registrations by one initiator — ${i.bulkRegistrations.length}</h2>${table(
    ["Initiator", "Different people", "From", "To"],
    i.bulkRegistrations.map((b) => [b.initiatorUpn, String(b.distinctTargets), b.fromDateTime, b.toDateTime]),
  )}</section>
${peopleSection("Registrations started and never completed", i.incompleteRegistrations, [["Started", (p) => p.startedDateTime]])}
${peopleSection("Temporary Access Passes outstanding", i.outstandingTaps)}
${ringSections}
<script>${chartJs()}</script>
<script id="report-data" type="application/json">${scriptJson({ mix, timeline: i.registrationsByDay, funnels })}</script>
<script>
const data = JSON.parse(document.getElementById("report-data").textContent);
const palette = ["#0f6cbd","#e3008c","#00a36c","#ff8c00","#8764b8","#038387","#c50f1f","#498205","#7a7574","#4f6bed"];
new Chart(document.getElementById("mix"), { type: "doughnut", data: { labels: data.mix.map(m => m.label), datasets: [{ data: data.mix.map(m => m.count), backgroundColor: palette }] }, options: { animation: false, maintainAspectRatio: false } });
new Chart(document.getElementById("timeline"), { type: "bar", data: { labels: data.timeline.map(t => t.day), datasets: [{ label: "Passkeys added", data: data.timeline.map(t => t.count), backgroundColor: "#0f6cbd" }] }, options: { animation: false, maintainAspectRatio: false } });
new Chart(document.getElementById("funnel"), { type: "bar", data: { labels: ["Members","In policy","Can prove it's them","Platform ready","Authenticator accepted","Registered"], datasets: data.funnels.map((f, n) => ({ label: f.label, data: f.values, backgroundColor: palette[n % palette.length] })) }, options: { animation: false, maintainAspectRatio: false } });
document.body.dataset.chartsReady = "true";
</script>
</body></html>
`;
}
