/**
 * Prints how the request scheduler paces a burst of reports-bucket reads (interactive and background mixed) on a
 * simulated clock: when each request started and how long it waited. Run: npx tsx bench/graph-scheduler.ts
 */
import { RequestScheduler } from "../src/graph/request-scheduler.js";
import type { SchedulerClock } from "../src/graph/scheduler-clock.js";

let now = 0;
const timers: Array<{ at: number; callback: () => void; id: number }> = [];
let nextId = 0;
const clock: SchedulerClock = {
  now: () => now,
  setTimeout(callback, ms) {
    const id = nextId++;
    timers.push({ at: now + ms, callback, id });
    return id;
  },
  clearTimeout(handle) {
    const index = timers.findIndex((timer) => timer.id === handle);
    if (index >= 0) timers.splice(index, 1);
  },
};

async function main() {
  const scheduler = new RequestScheduler({ clock });
  const started: Array<{ name: string; at: number }> = [];
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < 20; i++) {
    const priority = i % 4 === 0 ? "interactive" : "background";
    const name = `${priority}-${i}`;
    all.push(
      scheduler.schedule(priority, { reports: 1, resourceUnits: 0 }, async () => started.push({ name, at: now })),
    );
  }
  const wallStart = performance.now();
  let peakTimers = 0;
  while (started.length < 20) {
    await new Promise((resolve) => setImmediate(resolve));
    peakTimers = Math.max(peakTimers, timers.length);
    timers.sort((a, b) => a.at - b.at);
    const timer = timers.shift();
    if (timer) {
      now = Math.max(now, timer.at);
      timer.callback();
    }
  }
  await Promise.all(all);
  for (const entry of started) console.log(`${(entry.at / 1000).toFixed(1).padStart(5)} s  ${entry.name}`);
  const interactiveDone = Math.max(...started.filter((s) => s.name.startsWith("interactive")).map((s) => s.at));
  console.log(`20 reports requests spread over ${(now / 1000).toFixed(1)} s of Graph time (limit 5 / 10 s)`);
  console.log(`all 5 interactive requests started by ${(interactiveDone / 1000).toFixed(1)} s`);
  console.log(
    `timers armed at once (peak): ${peakTimers}; scheduler CPU time ${(performance.now() - wallStart).toFixed(1)} ms`,
  );
}

void main();
