// A structural check of SARIF 2.1.0 logs: the properties the OASIS standard requires, the
// references that must resolve (ruleIndex → rule, artifact index → artifact, uriBaseId → base), and
// the enumerations, as GitHub code scanning validates an upload. Returns the problems found.
const LEVELS = ["none", "note", "warning", "error"];
const BASELINE = ["new", "unchanged", "updated", "absent"];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function sarifProblems(log: Obj): string[] {
  const p: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) p.push(what);
  };
  need(log.version === "2.1.0", "version must be 2.1.0");
  need(typeof log.$schema === "string" && /sarif/.test(log.$schema), "$schema names the SARIF schema");
  need(Array.isArray(log.runs), "runs is an array");
  (log.runs ?? []).forEach((run: Obj, ri: number) => {
    const at = `runs[${ri}]`;
    const driver = run.tool?.driver;
    need(typeof driver?.name === "string" && driver.name.length > 0, `${at}.tool.driver.name`);
    const rules: Obj[] = driver?.rules ?? [];
    const ids = new Set<string>();
    rules.forEach((r, i) => {
      need(typeof r.id === "string" && r.id.length > 0, `${at} rule ${i} has an id`);
      need(!ids.has(r.id), `${at} rule ids are unique (${r.id})`);
      ids.add(r.id);
      if (r.helpUri !== undefined) need(/^https?:\/\/[^\s]+$/.test(r.helpUri), `${at} rule ${r.id} helpUri is an absolute URL`);
      if (r.defaultConfiguration?.level !== undefined) need(LEVELS.includes(r.defaultConfiguration.level), `${at} rule ${r.id} level`);
      for (const k of ["shortDescription", "fullDescription", "help"]) if (r[k] !== undefined) need(typeof r[k].text === "string", `${at} rule ${r.id} ${k}.text`);
    });
    const artifacts: Obj[] = run.artifacts ?? [];
    const bases = run.originalUriBaseIds ?? {};
    const checkLocation = (a: Obj | undefined, where: string) => {
      need(typeof a?.uri === "string", `${where} artifactLocation.uri`);
      if (a?.uriBaseId !== undefined) need(a.uriBaseId in bases, `${where} uriBaseId ${a.uriBaseId} is declared in originalUriBaseIds`);
      if (a?.index !== undefined) need(Number.isInteger(a.index) && a.index >= 0 && a.index < artifacts.length, `${where} artifact index in range`);
    };
    artifacts.forEach((a, i) => checkLocation(a.location, `${at}.artifacts[${i}]`));
    for (const inv of run.invocations ?? []) need(typeof inv.executionSuccessful === "boolean", `${at} invocation executionSuccessful`);
    (run.results ?? []).forEach((res: Obj, i: number) => {
      const w = `${at}.results[${i}]`;
      need(typeof res.message?.text === "string" && res.message.text.length > 0, `${w}.message.text`);
      need(typeof res.ruleId === "string", `${w}.ruleId`);
      if (res.ruleIndex !== undefined) need(rules[res.ruleIndex]?.id === res.ruleId, `${w}.ruleIndex points at rule ${res.ruleId}`);
      if (res.level !== undefined) need(LEVELS.includes(res.level), `${w}.level`);
      if (res.baselineState !== undefined) need(BASELINE.includes(res.baselineState), `${w}.baselineState`);
      if (res.occurrenceCount !== undefined) need(Number.isInteger(res.occurrenceCount) && res.occurrenceCount >= 1, `${w}.occurrenceCount`);
      for (const v of Object.values(res.partialFingerprints ?? {})) need(typeof v === "string", `${w}.partialFingerprints values are strings`);
      for (const loc of res.locations ?? []) {
        if (loc.physicalLocation) {
          checkLocation(loc.physicalLocation.artifactLocation, `${w} location`);
          const r = loc.physicalLocation.region;
          if (r) need(Number.isInteger(r.startLine) && r.startLine >= 1 && (r.startColumn === undefined || r.startColumn >= 1), `${w} region`);
        }
        for (const l of loc.logicalLocations ?? []) need(typeof (l.name ?? l.fullyQualifiedName) === "string", `${w} logical location has a name`);
      }
    });
  });
  return p;
}
