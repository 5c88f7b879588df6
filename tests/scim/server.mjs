// A real SCIM 2.0 service provider for the Gatehouse tests: express +
// scimmy-routers (the RFC 7644 endpoints) + SCIMMY's User and Group resources,
// backed by an in-memory store through ingress/egress/degress handlers.
//
// node server.mjs PORT_FILE [--identity-center] [--page-size N]
//   PORT_FILE          where the chosen port is written once listening
//   --identity-center  list responses of /Groups carry empty `members`, as
//                      Identity Center's do (members are read by filtering
//                      users on groups.value); GET /Groups/{id} keeps them
//   --page-size N      list pages hold at most N resources (exercises paging)
// The bearer token comes from the SCIM_TEST_TOKEN environment variable.
import {writeFileSync} from "node:fs";
import {randomUUID} from "node:crypto";
// express 4: scimmy-routers casts startIndex and count by assigning to
// req.query, which express 5 turned into a getter (paging would be ignored).
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const args = process.argv.slice(2);
const portFile = args[0];
const identityCenter = args.includes("--identity-center");
const pageSizeArg = args.indexOf("--page-size");
const pageSize = pageSizeArg >= 0 ? Number(args[pageSizeArg + 1]) : 100;
const token = process.env.SCIM_TEST_TOKEN;
if (!portFile || !token) {
  console.error("usage: SCIM_TEST_TOKEN=... node server.mjs PORT_FILE [--identity-center] [--page-size N]");
  process.exit(2);
}

const users = new Map();   // id -> stored user
const groups = new Map();  // id -> stored group
const plain = (x) => JSON.parse(JSON.stringify(x));
const now = () => new Date().toISOString();

function notFound(id) {
  return new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);
}

function limitPage(resource) {
  const c = resource.constraints ?? {};
  resource.constraints = {...c, count: Math.min(c.count ?? pageSize, pageSize)};
}

function userOut(u) {
  const memberOf = [...groups.values()]
    .filter((g) => (g.members ?? []).some((m) => m.value === u.id))
    .map((g) => ({value: g.id, display: g.displayName}));
  return {...u, groups: memberOf};
}

function select(resource, all) {
  if (resource.id) {
    const one = all.find((r) => r.id === resource.id);
    if (!one) throw notFound(resource.id);
    return one;
  }
  limitPage(resource);
  return resource.filter ? resource.filter.match(all) : all;
}

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource, instance) => {
    const data = plain(instance);
    delete data.groups;
    const clash = [...users.values()].find(
      (u) => u.userName.toLowerCase() === String(data.userName).toLowerCase() && u.id !== resource.id);
    if (clash) throw new SCIMMY.Types.Error(409, "uniqueness", `userName ${data.userName} is already taken`);
    if (resource.id) {
      const old = users.get(resource.id);
      if (!old) throw notFound(resource.id);
      const u = {...data, id: old.id, meta: {...old.meta, lastModified: now()}};
      users.set(old.id, u);
      return userOut(u);
    }
    const id = randomUUID();
    const u = {...data, id, meta: {created: now(), lastModified: now()}};
    users.set(id, u);
    return userOut(u);
  })
  .egress((resource) => select(resource, [...users.values()].map(userOut)))
  .degress((resource) => {
    if (!users.delete(resource.id)) throw notFound(resource.id);
    for (const g of groups.values()) g.members = (g.members ?? []).filter((m) => m.value !== resource.id);
  });

SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .ingress((resource, instance) => {
    const data = plain(instance);
    const clash = [...groups.values()].find(
      (g) => g.displayName.toLowerCase() === String(data.displayName).toLowerCase() && g.id !== resource.id);
    if (clash) throw new SCIMMY.Types.Error(409, "uniqueness", `displayName ${data.displayName} is already taken`);
    for (const m of data.members ?? [])
      if (!users.has(m.value)) throw new SCIMMY.Types.Error(400, "invalidValue", `member ${m.value} is not a user`);
    if (resource.id) {
      const old = groups.get(resource.id);
      if (!old) throw notFound(resource.id);
      const g = {...data, id: old.id, members: data.members ?? [], meta: {...old.meta, lastModified: now()}};
      groups.set(old.id, g);
      return g;
    }
    const id = randomUUID();
    const g = {...data, id, members: data.members ?? [], meta: {created: now(), lastModified: now()}};
    groups.set(id, g);
    return g;
  })
  .egress((resource) => {
    const all = [...groups.values()];
    if (identityCenter && !resource.id) return select(resource, all).map((g) => ({...g, members: []}));
    return select(resource, all);
  })
  .degress((resource) => {
    if (!groups.delete(resource.id)) throw notFound(resource.id);
  });

const app = express();
app.use("/scim/v2", new SCIMMYRouters({
  type: "bearer",
  handler: (request) => {
    if (request.header("Authorization") !== `Bearer ${token}`) throw new Error("bearer token missing or wrong");
    return "gatehouse-test";
  },
}));

const server = app.listen(0, "127.0.0.1", () => {
  writeFileSync(portFile + ".tmp", String(server.address().port));
  // Renamed into place so a reader never sees a half-written file.
  import("node:fs").then(({renameSync}) => renameSync(portFile + ".tmp", portFile));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
