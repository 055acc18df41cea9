// artillery-engine-bwemu: each Artillery virtual user is one bwemu call (an emulated Bandwidth call:
// initiate webhook, BXML, media stream with paced audio both ways, caller turns) to your voice-AI
// bridge. Artillery's phases, arrival rates, reports and distributed runners work unchanged; bwemu's
// figures are reported as Artillery metrics:
//   histograms  bwemu.turn_latency         end of caller speech → first reply audio, per turn (ms)
//               bwemu.bridge_overhead      turn latency − the stub's own think time, per turn (ms)
//               bwemu.pacing_lateness_p99  bwemu's own pacing lateness on the call, p99 (ms)
//   counters    bwemu.calls.completed, bwemu.calls.failed, bwemu.failed.<reason> (e.g. bwemu.failed.cross-talk:
//               the call heard another call's signature; `crossTalk: false` turns the check off), bwemu.turns
// A failed call fails its virtual user (vusers.failed, errors.bwemu.<reason>).
//
// Engine contract (Artillery 2): `new Engine(script, ee, helpers)` once per worker;
// `createScenario(spec, ee)` returns `(context, callback)`, run once per virtual user; metrics go
// out as ee.emit('histogram' | 'counter', name, value), failures as ee.emit('error', code).

"use strict";

const path = require("node:path");
const { pathToFileURL } = require("node:url");

/**
 * bwemu's `bwemu/load` entry: the installed package; else, developing in bwemu's own repository (where
 * this package is a workspace), its sources (through tsx, registered here: Artillery's worker threads
 * do not inherit a loader) or its build.
 */
async function loadBwemu() {
  const tried = [];
  const fromRepo = (p) => pathToFileURL(path.join(__dirname, "../..", p)).href;
  const candidates = [
    () => import("bwemu/load"),
    async () => {
      const { register } = await import("tsx/esm/api");
      register();
      return import(fromRepo("src/load/index.ts"));
    },
    () => import(fromRepo("dist/src/load/index.js")),
  ];
  for (const load of candidates) {
    try {
      return await load();
    } catch (e) {
      tried.push(e && e.code ? e.code : e && e.message);
    }
  }
  throw new Error(`artillery-engine-bwemu: cannot load bwemu (npm i -D bwemu): ${tried.join("; ")}`);
}

/** Options of the engine (config.engines.bwemu) overridden by the scenario's own `bwemu:` block. */
const CALL_KEYS = ["turns", "audio", "dtmf", "hangupAfter", "callDuration", "l16"];

class BwemuEngine {
  constructor(script, ee, helpers) {
    this.script = script;
    this.ee = ee;
    this.helpers = helpers;
    this.config = (script.config.engines && script.config.engines.bwemu) || {};
    this.users = undefined;
  }

  /** The stub / bundled bridge this worker's calls point at: started once, on first use. */
  start() {
    if (!this.users) {
      const c = this.config;
      this.users = loadBwemu().then(async (bwemu) => {
        const users = await bwemu.VirtualUsers.start({
          app: c.bridge === undefined ? this.script.config.target : undefined,
          bridge: c.bridge,
          realtime: c.realtime,
          stubPort: c.stubPort,
          crossTalk: c.crossTalk,
        });
        // Artillery ends its worker with process.exit: stop the stub and the bridge first.
        process.once("beforeExit", () => void users.close());
        process.once("exit", () => void users.close());
        return users;
      });
    }
    return this.users;
  }

  createScenario(spec, ee) {
    const opts = {};
    for (const source of [this.config, spec.bwemu || {}]) for (const k of CALL_KEYS) if (source[k] !== undefined) opts[k] = source[k];
    return (context, callback) => {
      ee.emit("started");
      this.start()
        .then((users) => users.call(opts))
        .then((o) => {
          for (const v of o.turnMs) ee.emit("histogram", "bwemu.turn_latency", v);
          for (const v of o.bridgeOverheadMs) ee.emit("histogram", "bwemu.bridge_overhead", v);
          if (o.lateness) ee.emit("histogram", "bwemu.pacing_lateness_p99", o.lateness.p99Us / 1000);
          ee.emit("counter", "bwemu.turns", o.turnMs.length);
          if (o.ok) {
            ee.emit("counter", "bwemu.calls.completed", 1);
            return callback(null, context);
          }
          ee.emit("counter", "bwemu.calls.failed", 1);
          ee.emit("counter", `bwemu.failed.${o.reason}`, 1);
          ee.emit("error", `bwemu.${o.reason}`);
          return callback(new Error(`${o.reason}: ${o.detail || ""}`), context);
        })
        .catch((e) => {
          ee.emit("error", `bwemu.setup: ${e && e.message ? e.message : String(e)}`);
          callback(e, context);
        });
    };
  }
}

module.exports = BwemuEngine;
